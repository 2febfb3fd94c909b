"""The old synchronous client, still used by scripts."""

import urllib.request


def fetch_rates() -> bytes:
    with urllib.request.urlopen("https://rates.example/today") as response:
        return response.read()


def fetch_rates_fresh() -> bytes:
    with urllib.request.urlopen("https://rates.example/today?fresh=1") as response:
        return response.read()
