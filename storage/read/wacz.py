"""A WARC file packaged as WACZ 1.1.1, the format ReplayWeb.page opens.

A WACZ is a zip: the WARC (stored, not recompressed, so a reader can seek
into it), a CDXJ index of it (cdxj_indexer, the indexer py-wacz uses), a
pages list, and datapackage.json with the SHA-256 of each part.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from cdxj_indexer import CDXJIndexer

from ..contract.records import now

WACZ_VERSION = "1.1.1"


def write_wacz(path: Path, warc: Path, pages: list[dict[str, Any]], *, title: str, software: str) -> None:
    """Package ``warc`` with its index and ``pages`` ({url, ts, title}) at ``path``."""
    index = io.StringIO()
    CDXJIndexer(index, [str(warc)], sort=True, filename=warc.name).process_all()
    page_lines = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}]
    page_lines += [{"id": f"{number}", **page} for number, page in enumerate(pages, 1)]
    parts = {
        f"archive/{warc.name}": warc.read_bytes(),
        "indexes/index.cdxj": index.getvalue().encode(),
        "pages/pages.jsonl": "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in page_lines).encode(),
    }
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "software": software,
        "created": now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": [
            {
                "name": Path(name).name,
                "path": name,
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
            for name, data in parts.items()
        ],
    }
    package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode()
    digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            compression = zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
        archive.writestr("datapackage.json", package_bytes, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("datapackage-digest.json", json.dumps(digest), compress_type=zipfile.ZIP_DEFLATED)
