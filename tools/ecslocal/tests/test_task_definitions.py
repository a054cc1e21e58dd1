import pytest

from bazaar_ecslocal.model import Condition
from bazaar_ecslocal.task_definitions import UnsupportedDefinition, task_definition

from .definitions import SCRATCH, app_container, migrations_container, task_document


def test_every_honoured_field_is_read():
    task = task_definition(task_document())

    assert task.label == "bazaar-local-orders:3"
    assert task.memory_mib == 512
    app = task.container("orders")
    assert app.essential
    assert app.read_only
    assert app.init
    assert app.user == "10001:10001"
    assert app.container_ports == (8002,)
    assert app.scratch_paths == (SCRATCH,)
    assert app.drop_capabilities == ("ALL",)
    assert app.stop_timeout == 30
    assert app.environment == (("ENVIRONMENT", "local"), ("PORT", "8002"))
    assert [name for name, _ in app.secrets] == ["DATABASE_URL"]
    assert app.depends_on[0].container == "migrations"
    assert app.depends_on[0].condition is Condition.SUCCESS
    assert app.health is not None
    assert app.health.start_period == 20
    migrations = task.container("migrations")
    assert not migrations.essential
    assert migrations.command == (
        "python",
        "-m",
        "bazaar_common.db.migrate",
        "--package",
        "bazaar_orders",
    )


@pytest.mark.parametrize(
    ("override", "refused"),
    [
        ({"privileged": True}, "privileged"),
        ({"volumesFrom": [{"sourceContainer": "other"}]}, "volumesFrom"),
        ({"links": ["db"]}, "links"),
        ({"linuxParameters": {"capabilities": {"add": ["NET_ADMIN"]}}}, "added capabilities"),
        ({"linuxParameters": {"sharedMemorySize": 64}}, "sharedMemorySize"),
    ],
)
def test_what_would_run_differently_is_refused_by_name(override, refused):
    with pytest.raises(UnsupportedDefinition, match=refused):
        task_definition(task_document(app_container(**override), migrations_container()))


def test_a_host_volume_is_refused():
    document = task_document(volumes=[{"name": "tmp", "host": {"sourcePath": "/etc"}}])
    with pytest.raises(UnsupportedDefinition, match="not scratch space"):
        task_definition(document)


def test_a_dependency_on_a_missing_container_is_refused():
    with pytest.raises(UnsupportedDefinition, match="unknown container migrations"):
        task_definition(task_document(app_container()))


def test_another_network_mode_is_refused():
    with pytest.raises(UnsupportedDefinition, match="network mode 'bridge'"):
        task_definition(task_document(networkMode="bridge"))
