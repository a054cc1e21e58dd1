from bazaar_ecslocal.container_args import health_flags, holder_arguments, run_arguments
from bazaar_ecslocal.task_definitions import task_definition

from .definitions import task_document


def test_a_container_runs_as_its_definition_says():
    app = task_definition(task_document()).container("orders")

    arguments = run_arguments(
        app,
        name="r-orders-1-orders",
        run="r",
        network_of="r-orders-1",
        environment={"PORT": "8002", "DATABASE_URL": "postgresql+asyncpg://u:secret@h/db"},
        memory_mib=512,
    )

    assert arguments[:4] == [
        "-d",
        "--name=r-orders-1-orders",
        "--label=bazaar.ecslocal=r",
        "--network=container:r-orders-1",
    ]
    for flag in (
        "--user=10001:10001",
        "--read-only",
        "--mount=type=tmpfs,destination=/tmp,tmpfs-mode=0755",
        "--cap-drop=ALL",
        "--init",
        "--stop-timeout=30",
        "--memory=512m",
        "--health-cmd=python -c 'print('\"'\"'ok'\"'\"')'",
        "--health-start-period=20s",
    ):
        assert flag in arguments
    # Values never on the command line: docker reads them from its environment.
    assert "secret" not in " ".join(arguments)
    assert arguments[arguments.index("DATABASE_URL") - 1] == "-e"
    assert arguments[-1] == app.image


def test_the_command_and_entry_point_follow_the_image():
    migrations = task_definition(task_document()).container("migrations")
    arguments = run_arguments(
        migrations, name="m", run="r", network_of="t", environment={}, memory_mib=None
    )
    assert arguments[-6:] == [
        migrations.image,
        "python",
        "-m",
        "bazaar_common.db.migrate",
        "--package",
        "bazaar_orders",
    ]
    assert "--read-only" not in arguments


def test_a_shell_health_check_is_kept_as_written():
    from bazaar_ecslocal.model import HealthCheck

    flags = health_flags(HealthCheck(("CMD-SHELL", "curl -f localhost || exit 1"), 5, 2, 3, 0))
    assert flags[0] == "--health-cmd=curl -f localhost || exit 1"


def test_the_task_holder_carries_the_tasks_names():
    arguments = holder_arguments(
        name="r-orders-1",
        run="r",
        network="net",
        aliases=["orders.local.bazaar.internal", "tg.targets"],
        image="img",
    )
    assert "--network=net" in arguments
    assert "--network-alias=orders.local.bazaar.internal" in arguments
    assert "--network-alias=tg.targets" in arguments
    assert arguments[-2:] == ["img", "infinity"]
