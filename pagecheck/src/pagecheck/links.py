"""Links that work outside the site: a page's relative links and API references
made absolute."""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import urljoin

from mkdocs.structure.files import File, Files

REFERENCE = re.compile(r"\[(?P<text>[^\]]+)\]\[(?P<id>[\w.]*)\]")
LINK = re.compile(r"(?P<head>!?\[[^\]]*\]\()(?P<target>[^)\s#]+)(?P<tail>[^)]*\))")


class Links:
    """Turns a page's relative links and API references into absolute URLs."""

    def __init__(self, base: str, page: File, files: Files, autorefs: Any) -> None:
        self.base, self.page, self.files, self.autorefs = base, page, files, autorefs

    def absolute(self, markdown: str) -> str:
        """The Markdown with links that work outside the site."""
        return LINK.sub(self._link, REFERENCE.sub(self._reference, markdown))

    def _reference(self, match: re.Match[str]) -> str:
        identifier = match["id"] or match["text"].strip("`")
        if self.autorefs is None:
            return match[0]
        try:
            url, _ = self.autorefs.get_item_url(identifier)
        except KeyError:
            return match[0]
        return f"[{match['text']}]({urljoin(self.base, url)})"

    def _link(self, match: re.Match[str]) -> str:
        target = match["target"]
        if re.match(r"[a-z][a-z0-9+.-]*:|/", target):
            return match[0]  # already absolute
        uri = posixpath.normpath(posixpath.join(self.page.src_uri, "..", target))
        file = self.files.get_file_from_path(uri)
        if file is None:
            return match[0]
        return f"{match['head']}{urljoin(self.base, file.url)}{match['tail']}"
