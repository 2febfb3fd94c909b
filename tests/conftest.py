import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SERVER_COMMAND = [sys.executable, "-m", "async_patterns", "server"]
