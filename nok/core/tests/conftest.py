"""The access matrix's world (an object of every kind, all of Organization B) is shared with the
other whole-site tests of this folder (the fuzzing of every form)."""

from nok.core.tests.test_access_matrix import world  # noqa: F401 (a fixture)
