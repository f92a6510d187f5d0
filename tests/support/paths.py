import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The reference law texts (JSON) live outside the repository; tests import them when present.
LAW_DIR = Path(os.environ.get("SOCSEC_LAW_DIR", REPO.parent / "shared" / "content"))
SOCIAL_INSURANCE_LAW_JSON = LAW_DIR / "social_insurance_law.json"
REGULATION_JSON = LAW_DIR / "social_insurance_handling_regulation.json"


def law_files():
    return [path for path in (SOCIAL_INSURANCE_LAW_JSON, REGULATION_JSON) if path.exists()]
