"""Render a :class:`reports.context.ReportView` as Markdown, HTML, JSON, JSON-LD or CSV.

Markdown and HTML go through Jinja2 with autoescaping and StrictUndefined
(a typo in a template fails loudly instead of printing nothing); the HTML
page inlines its CSS and JS from ``reports/static`` so it needs no network.
The data formats live in :mod:`reports.export`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from reports.context import ReportView
from reports.export import to_csv, to_json, to_jsonld
from reports.filters import FILTERS

FORMATS = ("md", "html", "json", "jsonld", "csv")


class UnknownFormat(ValueError):
    """The requested report format is not one of FORMATS."""


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("reports"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def _static(name: str) -> Markup:
    """Our own CSS/JS (never document text), inlined verbatim."""
    return Markup(files("reports").joinpath("static", name).read_text(encoding="utf-8"))


def render_report(report: ReportView, fmt: str) -> str:
    """The report in ``fmt`` (one of FORMATS) as a str (UTF-8 when written)."""
    if fmt == "html":
        return environment().get_template("report.html.j2").render(
            report=report, css=_static("report.css"), js=_static("report.js"))
    if fmt == "md":
        return environment().get_template("report.md.j2").render(report=report)
    if fmt == "json":
        return to_json(report)
    if fmt == "jsonld":
        return to_jsonld(report)
    if fmt == "csv":
        return to_csv(report)
    raise UnknownFormat(f"unknown report format {fmt!r}; expected one of: {', '.join(FORMATS)}")
