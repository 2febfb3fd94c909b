"""Tests of the shop's error handling (the exception-group rule for tests)."""

import pytest

from shop.errors import ship_all


async def test_ship_all_fails_for_unknown_orders() -> None:
    with pytest.raises(ExceptionGroup):  # ASYNC401: passes whatever the group holds
        await ship_all([-1])
    with pytest.RaisesGroup(ValueError):
        await ship_all([-1])
