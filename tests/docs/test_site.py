"""The built documentation site: the reference covers every public name, no internal link is
broken, the pages load nothing from another host, the notebooks were executed, the gallery
shows the 13 demos with working players."""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_fixture import built_site

REFERENCE = {
    "autograd": "reference/autograd.html",
    "nn": "reference/nn.html",
    "autograd.testing": "reference/testing.html",
}


@pytest.fixture(scope="module")
def site() -> Path:
    return built_site()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value is None:
                continue
            if (
                key in ("href", "src")
                and tag not in ("iframe",)
                or (tag == "iframe" and key == "src")
            ):
                self.links.append(value)
            if key == "id":
                self.ids.add(value)


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(site: Path) -> list[Path]:
    return [
        p
        for p in site.rglob("*.html")
        if "lite" not in p.relative_to(site).parts and "players" not in p.parts
    ]


@pytest.mark.parametrize("module_name", list(REFERENCE))
def test_reference_has_every_public_name(site: Path, module_name: str) -> None:
    ids = parse(site / REFERENCE[module_name]).ids
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if f"{module_name}.{name}" not in ids]
    assert not missing, f"{REFERENCE[module_name]} has no entry for {missing}"


def test_no_broken_internal_link(site: Path) -> None:
    broken = []
    checked = 0
    for page in pages(site):
        parsed = parse(page)
        for link in parsed.links:
            url = urlsplit(link)
            if url.scheme or link.startswith(("//", "#", "mailto:", "data:")) or not url.path:
                continue
            base = site if url.path.startswith("/") else page.parent  # 404.html: from the root
            target = (base / unquote(url.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
                continue
            if url.fragment and target.suffix == ".html" and url.fragment not in parse(target).ids:
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert checked > 100, f"only {checked} internal links found: is the site complete?"
    assert not broken, "\n".join(broken)


def test_pages_load_nothing_from_another_host(site: Path) -> None:
    """Scripts, styles, images and frames all come from the site (links to read are fine)."""
    loads = re.compile(
        r"""<(?:script|img|iframe|link[^>]*stylesheet)[^>]*(?:src|href)=["'](?:https?:)?//"""
    )
    offenders = [str(p.relative_to(site)) for p in pages(site) if loads.search(p.read_text())]
    assert not offenders, f"pages that load from another host: {offenders}"


def test_notebooks_were_executed(site: Path) -> None:
    text = (site / "tutorials/backprop_lecture_graph.html").read_text()
    assert "da = 3, db = 6, dc = 9" in text
    assert "chaingrad-player" in text  # the player's output cell
    assert "value and derivatives agree" in (site / "tutorials/to_pytorch.html").read_text()


def test_gallery_shows_every_demo_with_players(site: Path) -> None:
    demos = importlib.import_module("demos")
    gallery = site / "gallery/index.html"
    ids = parse(gallery).ids
    assert all(name.replace("_", "-") in ids or name in ids for name in demos.DEMOS), ids
    players = sorted((site / "gallery/players").glob("*.html"))
    assert len(players) >= 3
    for player in players:
        text = player.read_text()
        assert "chaingrad-player" in text and "http://" not in text.split("<svg", 1)[0]


def test_tutorials_link_to_the_browser_version(site: Path) -> None:
    html = (site / "tutorials/backprop_lecture_graph.html").read_text()
    m = re.search(r'href="([^"]*lite/notebooks/index\.html\?path=([^"]+))"', html)
    assert m, "the tutorial has no Run in your browser link"
    assert (site / "lite/files" / m.group(2)).is_file()
