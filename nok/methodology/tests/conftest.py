import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """The personas' passwords are hashed eight times per test; MD5 keeps that cheap."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
