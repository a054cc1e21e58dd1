"""What must hold between the pieces before anything starts: ports, target groups, rules.

Each problem is one line naming the pieces; the runner refuses to start
while there is any. (What only shows at run time, such as an app that
listens on another port than its target group's, fails the health checks
instead.)
"""

from __future__ import annotations

from bazaar_ecslocal.model import Platform


def problems(platform: Platform) -> list[str]:
    found: list[str] = []
    served: dict[str, list[str]] = {}
    for service in platform.services:
        if service.desired_count < 1:
            found.append(f"{service.name}: desired count {service.desired_count}")
        for registration in service.load_balancing:
            served.setdefault(registration.target_group_arn, []).append(service.name)
            try:
                container = service.task.container(registration.container_name)
            except KeyError as error:
                found.append(f"{service.name}: {error.args[0]}")
                continue
            if registration.container_port not in container.container_ports:
                found.append(
                    f"{service.name}: the load balancer sends to {container.name}:"
                    f"{registration.container_port}, which maps only {container.container_ports}"
                )
            try:
                group = platform.target_group(registration.target_group_arn)
            except KeyError as error:
                found.append(f"{service.name}: {error.args[0]}")
                continue
            if group.port != registration.container_port:
                found.append(
                    f"{service.name}: target group {group.name} port {group.port} is not the "
                    f"container port {registration.container_port}"
                )
    for rule in platform.rules:
        owners = served.get(rule.target_group_arn, [])
        if len(owners) != 1:
            found.append(
                f"listener rule {rule.priority}: its target group is served by "
                f"{len(owners)} services ({', '.join(owners) or 'none'})"
            )
    images = {
        service.name: {container.image for container in service.task.containers}
        for service in platform.services
    }
    for one_off in platform.one_off_tasks:
        if one_off.service_name not in images:
            found.append(f"{one_off.task.label}: no ECS service {one_off.service_name}")
            continue
        # Same image family: the bootstrap runs the service's own image.
        for container in one_off.task.containers:
            if container.image not in images[one_off.service_name]:
                found.append(
                    f"{one_off.task.label}: image {container.image} is not one "
                    f"{one_off.service_name} runs"
                )
    return found
