# The editorial admin's users and clients (real Editor/Publisher groups), for the places admin tests.
from tests.editorial.conftest import (  # noqa: F401
    _quick_passwords,
    editor,
    editor_client,
    publisher,
    publisher_client,
)
