"""The one exit (出域) for everything that leaves the restricted zone.

Reports, open data, sharing packages, catalog exports and the coming data service pass here:
  - `egress.masking`: the catalog policy's masking rule for each pii class (脱敏规则), applied to
    Python values with the same SQL macros publishing runs over tables;
  - `egress.scrub`: personal data inside free text, raw lines and keys; invisible characters
    made visible;
  - `egress.leakcheck`: the leak check (出域检查) over Parquet, CSV, XLSX, JSON-LD and HTML;
  - `egress.release`: moves a staged artefact out of the zone only after the leak check passed.
"""

from egress.leakcheck import LeakError
from egress.release import release, release_text

__all__ = ["LeakError", "release", "release_text"]
