import pytest


@pytest.fixture(autouse=True)
def builtin_types(request) -> None:
    """The seven built-in types come from a data migration, but a transactional test (browser
    tests, anywhere in the suite) flushes them; put them back before each database test."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from nok.organizations.services import organization_types_ensure_builtin

    organization_types_ensure_builtin()
