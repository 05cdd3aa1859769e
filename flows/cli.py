"""``claimledger``: the command-line face of the flows.

Each command is a thin layer: parse options, call a flow or a db/reports
function, print.  Named exceptions become one ``Error: …`` line and a
non-zero exit; ``--debug`` shows the traceback instead.  Heavy imports
(Prefect, spaCy) happen inside commands so ``--help`` stays instant.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from flows.runtime import configure_prefect_env

app = typer.Typer(
    name="claimledger",
    help="Extract claims, footnotes, citations and numbers from policy papers and blog posts "
         "into SQL, and audit them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
server_app = typer.Typer(help="Manage the local Prefect server the CLI records runs in.",
                         no_args_is_help=True)
app.add_typer(server_app, name="server")
db_app = typer.Typer(help="Manage the database schema (ingest and serve upgrade it themselves).",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")
model_app = typer.Typer(help="Train the learned check-worthiness model (needs the 'train' extra).",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")

out = Console()
err = Console(stderr=True)
STATE = {"debug": False}

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="Database URL or SQLite file (default: $CLAIMLEDGER_DB or ./claimledger.db).")]
TimeoutOption = Annotated[Optional[float], typer.Option(
    "--timeout", help="Seconds per HTTP request (default: [fetch] timeout in the config, else 30).")]
MaxBytesOption = Annotated[Optional[int], typer.Option(
    "--max-bytes", help="Largest file or download accepted (default: [fetch] max_bytes, else 50 MiB).")]
RetryDelaysOption = Annotated[Optional[str], typer.Option(
    "--retry-delays", help="Seconds before each Prefect retry of a timeout, dropped connection or 5xx, "
                           "comma-separated; '' for none (default: [fetch] retry_delays, else 1,4,10).")]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]Error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"claimledger {version('claimledger')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and Prefect logs.")] = False,
    show_version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False,
) -> None:
    STATE["debug"] = debug
    if debug:
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "INFO"


# --------------------------------------------------------------------------- ingest


@app.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, folders (walked recursively) or http(s) URLs.")],
    db: DbOption = None,
    ner: Annotated[str, typer.Option(help="Entity backend: 'rules', 'hanlp:<name_or_path>' or 'spacy:<path>'.")] = "rules",
    prefect: Annotated[str, typer.Option(
        help="'auto' records the run in Prefect ($PREFECT_API_URL or a local background server); "
             "'off' runs the same tasks' plain functions without Prefect (no run record, retries "
             "or extraction cache).")] = "auto",
    force: Annotated[bool, typer.Option(
        "--force", help="Re-extract documents whose bytes are already stored (after an upgrade).")] = False,
    reference: Annotated[bool, typer.Option(
        "--reference", help="Mark these sources as reference documents (official reports, statistical "
                            "bulletins): the audit checks other documents' figures against theirs.")] = False,
    config: Annotated[Optional[Path], typer.Option(
        help="TOML file whose [fetch] table sets timeout, max_bytes and retry_delays "
             "(default: ./claimledger.toml if present).")] = None,
    timeout: TimeoutOption = None,
    max_bytes: MaxBytesOption = None,
    retry_delays: RetryDelaysOption = None,
) -> None:
    """Ingest documents into the database (one transaction per document)."""
    from flows.config import ConfigError, fetch_overrides, load_config
    from flows.fetch import expand_sources

    try:
        fetch = fetch_overrides(load_config(config).fetch, timeout=timeout, max_bytes=max_bytes,
                                retry_delays=retry_delays)
    except ConfigError as exc:
        raise fail(str(exc))
    expanded = list(expand_sources(sources))
    if not expanded:
        raise fail("no documents found in the given paths")
    summary = _run_ingest(expanded, db, ner, prefect, force, fetch, expanded if reference else [])
    for outcome in summary.failed:
        err.print(f"[red]error[/red] {escape(f'{outcome.source}: {outcome.reason}')}", highlight=False,
                  soft_wrap=True)
    parts = [f"{summary.count(s)} {s}" for s in ("added", "replaced", "unchanged", "failed") if summary.count(s)]
    out.print(f"Ingested {len(summary.outcomes)} source(s): {', '.join(parts)}. "
              f"Database: {_db_label(db)}", highlight=False)
    if summary.failed:
        raise typer.Exit(126 if len(summary.failed) == len(summary.outcomes) and len(summary.outcomes) > 1 else 1)


def _run_ingest(sources: list[str], db: str | None, ner: str, prefect: str, force: bool, fetch,  # type: ignore[no-untyped-def]
                references: list[str]):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    api_url = _prefect_api(prefect)
    from flows import ingest as ing

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as progress:
        bar = progress.add_task("ingesting", total=len(sources))

        def hook(outcome) -> None:  # type: ignore[no-untyped-def]
            progress.update(bar, advance=1, description=f"{outcome.status}: {Path(outcome.source).name}")

        ing.add_progress_hook(hook)
        from flows.runtime import server_watchdog

        try:
            with server_watchdog(api_url) if api_url else contextlib.nullcontext():
                return ing.run_ingest(sources, db, ner, force=force, fetch=fetch,
                                      use_prefect=api_url is not None, references=references)
        finally:
            ing.remove_progress_hook(hook)


def _prefect_api(mode: str) -> str | None:
    """The Prefect API to record in, or None to run the flow's code directly."""
    if mode == "off":
        return None
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    from flows.runtime import ServerStartError, ensure_server

    try:
        url = ensure_server(on_start=lambda: err.print(
            "Starting a local Prefect server for run records (first run only; "
            "stop it with 'claimledger server stop')…", highlight=False))
    except ServerStartError as exc:
        err.print(f"[yellow]warning[/yellow] Prefect server unavailable ({exc}); "
                  "running without recording the run in Prefect.", highlight=False)
        return None
    os.environ["PREFECT_API_URL"] = url
    return url


def _db_label(db: str | None) -> str:
    """The database as the closing line names it: a SQLite path, or a URL without password or query string."""
    from db.errors import display_url
    from db.session import resolve_url

    url = resolve_url(db)
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    return display_url(url)


# --------------------------------------------------------------------------- serve


@app.command()
def serve(
    config: Annotated[Optional[Path], typer.Option(help="TOML file with sources and schedule (default: ./claimledger.toml if present).")] = None,
    cron: Annotated[Optional[str], typer.Option(help="Cron schedule, e.g. '0 * * * *'.")] = None,
    interval: Annotated[Optional[str], typer.Option(help="Interval schedule: 90, 30s, 15m, 2h or 1d.")] = None,
    db: DbOption = None,
    report: Annotated[Optional[Path], typer.Option(help="Re-render the report here after each cycle (format from the suffix).")] = None,
    ner: Annotated[Optional[str], typer.Option(help="Entity backend (see 'ingest').")] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one cycle now and exit.")] = False,
    prefect: Annotated[str, typer.Option(help="With --once: 'auto' records the run in Prefect, 'off' runs "
                                              "the same tasks' plain functions without it.")] = "auto",
    timeout: TimeoutOption = None,
    max_bytes: MaxBytesOption = None,
    retry_delays: RetryDelaysOption = None,
) -> None:
    """Ingest new or changed documents from watched folders, URLs and feeds on a schedule."""
    from flows.config import ConfigError, fetch_overrides, load_config, with_overrides

    try:
        cfg = load_config(config)
        cfg = with_overrides(cfg, cron=cron, interval=interval, db=db, ner=ner,
                             report=str(report) if report else None,
                             fetch=fetch_overrides(cfg.fetch, timeout=timeout, max_bytes=max_bytes,
                                                   retry_delays=retry_delays))
    except ConfigError as exc:
        raise fail(str(exc))
    if not cfg.has_sources:
        raise fail("nothing to watch: add folders, urls or feeds under [sources] in claimledger.toml")
    if once:
        _serve_once(cfg, prefect)
        return
    if _prefect_api("auto") is None:
        raise fail("serving a schedule needs the Prefect API (set PREFECT_API_URL or let the local server start)")
    from flows.serve import scheduler_warning, serve_forever

    if warning := scheduler_warning():
        err.print(f"[yellow]warning[/yellow] {warning}", highlight=False, soft_wrap=True)
    try:
        err.print(f"Serving '{cfg.name}' ({'cron ' + cfg.cron if cfg.cron else 'every ' + str(cfg.interval)}); "
                  "Ctrl-C stops.", highlight=False)
        serve_forever(cfg)
    except ConfigError as exc:
        raise fail(str(exc))


def _serve_once(cfg, prefect: str) -> None:  # type: ignore[no-untyped-def]
    """One cycle, recorded in Prefect or not; the same output either way, exit 1 if nothing landed."""
    api_url = _prefect_api(prefect)  # before Prefect is imported: it reads PREFECT_API_URL once
    from flows import ingest as ing
    from flows import serve as srv

    failures: list = []
    hook = lambda outcome: failures.append(outcome) if outcome.status == "failed" else None  # noqa: E731
    ing.add_progress_hook(hook)
    try:
        if api_url is not None:
            state = srv.scheduled_ingest(srv.config_to_parameters(cfg), return_state=True)
            counts, all_failed, report_error = ing.state_value(state), state.is_failed(), None
        else:
            result = srv.run_cycle(cfg)
            counts, all_failed, report_error = result.counts(), result.all_failed, result.report_error
    finally:
        ing.remove_progress_hook(hook)
    for outcome in failures:
        err.print(f"[red]error[/red] {escape(f'{outcome.source}: {outcome.reason}')}", highlight=False,
                  soft_wrap=True)
    parts = [f"{counts[s]} {s}" for s in ("added", "replaced", "unchanged", "not_modified", "failed")]
    out.print(f"Cycle done (run {counts['run_id']}): {', '.join(parts)}, "
              f"{counts['skipped_files']} stored file(s) skipped.", highlight=False)
    if cfg.report and counts["report_written"]:
        err.print(f"Report written to {cfg.report}", highlight=False)
    elif cfg.report:
        err.print(f"[yellow]warning[/yellow] report not written: {report_error or 'see the run logs'}",
                  highlight=False)
    if all_failed:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- extract


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="A document file (PDF, Markdown, HTML or text).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print everything extracted as JSON.")] = False,
    ner: Annotated[str, typer.Option(help="Entity backend (see 'ingest').")] = "rules",
) -> None:
    """Extract one document without touching any database."""
    from extractors.document import extract_document
    from extractors.errors import ExtractionError
    from flows.fetch import FetchError, read_path

    try:
        fetched = read_path(str(path))
        doc = extract_document(fetched.data, source=fetched.source, ner=ner)
    except (FetchError, ExtractionError) as exc:
        raise fail(f"{path}: {exc}")
    if as_json:
        data = asdict(doc)
        data.pop("raw", None)
        data.pop("offset_runs", None)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{doc.title or Path(doc.source).name}[/bold] ({doc.kind}, {doc.language}, "
              f"{len(doc.pages)} page(s))", highlight=False)
    out.print(f"{len(doc.sentences)} sentences, {len(doc.claims)} claims, {len(doc.numbers)} numbers, "
              f"{len(doc.footnotes)} footnotes, {len(doc.footnote_refs)} markers, "
              f"{len(doc.citations)} citations, {len(doc.entities)} entities", highlight=False)
    for claim in doc.claims:
        out.print(f"  [{claim.kind} {claim.checkworthiness:.2f}] {claim.text}", highlight=False)


# --------------------------------------------------------------------------- report / sql / search


@app.command()
def report(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html, json, jsonld or csv.")] = "md",
    out_path: Annotated[Optional[str], typer.Option(
        "--out", metavar="<path>",
        help="Write here instead of stdout. With --format html, a directory (existing, or a path "
             "ending in /) gets a site: index.html, doc-<id>.html per document, assets/.")] = None,
    no_audit: Annotated[bool, typer.Option("--no-audit", help="Render stored findings without re-running the checks.")] = False,
    document: Annotated[Optional[list[str]], typer.Option(
        "--document", "-d", help="Only this document: an id, or part of its source path or title (repeatable).")] = None,
    check: Annotated[Optional[list[str]], typer.Option(
        "--check", help="Only findings of this check, or of a prefix such as numbers. (repeatable).")] = None,
    min_severity: Annotated[str, typer.Option(
        "--min-severity", help="Only findings at least this severe: info, warning or error.")] = "info",
) -> None:
    """Run the audit checks over the database and render the claim-audit report.

    The checks always run over the whole database (a conflict needs both
    documents); --document, --check and --min-severity narrow what is shown.
    For thousands of documents, --format html --out DIR/ writes a site whose
    index lists documents with counts and links one page per document.
    """
    from db.errors import DatabaseError
    from flows.report import write_report, write_site
    from reports.selection import Selection

    site = out_path is not None and (out_path.endswith(("/", os.sep)) or Path(out_path).is_dir())
    if site and fmt != "html":
        raise fail(f"--out {out_path} is a directory: a report site needs --format html "
                   f"(give a file name for --format {fmt})")
    try:
        selection = Selection(tuple(document or ()), tuple(check or ()), min_severity)
        if site:
            pages = write_site(db, Path(out_path), audit=not no_audit, selection=selection)
        else:
            text = write_report(db, fmt, audit=not no_audit, selection=selection)
    except (ValueError, DatabaseError, OSError) as exc:
        raise fail(str(exc))
    if site:
        err.print(f"Report written to {Path(out_path) / 'index.html'} and {pages} document pages", highlight=False)
        return
    if out_path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = Path(out_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    err.print(f"Report written to {target}", highlight=False)


ColumnsOption = Annotated[Optional[str], typer.Option(
    "--columns", help="Columns to show, in this order (a,b,c); 'document' is the short document label "
                      "(title, else file name) when the result has document_title or document_source.")]


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="One read-only SELECT or WITH query.")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="Bind :name as value (name=value).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 1000,
    columns: ColumnsOption = None,
) -> None:
    """Run a read-only SQL query (writes, ATTACH, PRAGMA and multiple statements are refused)."""
    from db.errors import DatabaseError
    from db.sql import SqlError, query as run_query

    params = {}
    for item in param or []:
        if "=" not in item:
            raise fail(f"--param must look like name=value, got {item!r}")
        key, value = item.split("=", 1)
        params[key] = value
    try:
        result = run_query(db, query, params, max_rows=limit)
    except (SqlError, DatabaseError) as exc:
        raise fail(str(exc))
    _print_rows(result.columns, result.rows, fmt, truncated=result.truncated, chosen=columns)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words or Chinese text; every term must occur (算力 模型).")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    columns: ColumnsOption = None,
) -> None:
    """Search stored claims and sentences: every term must occur (Chinese of any length works)."""
    from db.errors import DatabaseError
    from db.fts import search as search_index
    from db.sql import SqlError, connect_readonly

    try:
        with connect_readonly(db) as conn:
            result = search_index(conn, query, limit=limit)
    except (SqlError, DatabaseError) as exc:
        raise fail(str(exc))
    _print_rows(result.columns, result.rows, fmt, truncated=result.truncated, chosen=columns)


def _print_rows(columns: list[str], rows: list[tuple], fmt: str, *, truncated: bool = False,
                chosen: str | None = None) -> None:
    """csv/json print the result as it is (or the --columns chosen); the table is laid out for the terminal."""
    from reports.terminal import UnknownColumn, parse_columns, print_table, select

    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown format {fmt!r}; use table, csv or json")
    wanted = parse_columns(chosen)
    try:
        if wanted is not None and fmt != "table":
            picked = select(columns, rows, wanted, label_width=sys.maxsize)
            columns, rows = picked.columns, picked.rows
        hidden = print_table(out, columns, rows, wanted) if fmt == "table" else []
    except UnknownColumn as exc:
        raise fail(str(exc))
    if hidden:
        err.print(f"(not shown, to fit {out.width} terminal columns: {', '.join(hidden)}; choose with --columns)",
                  highlight=False, soft_wrap=True)
    if fmt == "json":
        sys.stdout.write(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False,
                                    default=str, indent=2) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    if truncated:
        err.print(f"(truncated to {len(rows)} rows; use --limit)", highlight=False)


# --------------------------------------------------------------------------- datasette


@app.command()
def datasette(
    db: Annotated[Optional[str], typer.Option(
        "--db", help="SQLite file (default: $CLAIMLEDGER_DB or ./claimledger.db); Datasette reads SQLite only.")] = None,
    port: Annotated[int, typer.Option(help="Port to listen on; 0 picks a free one.")] = 8001,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback exposes the data.")] = "127.0.0.1",
    metadata_only: Annotated[Optional[Path], typer.Option(
        "--metadata-only", help="Only write the metadata JSON here (for `datasette FILE --metadata FILE.json`).")] = None,
) -> None:
    """Browse the database in Datasette with table and column descriptions, facets and the desk's canned queries."""
    from db.errors import DatabaseError
    from db.schema_doc import SchemaDocDrift
    from flows import datasette as dst

    try:
        prepared = dst.prepare(db)
        if metadata_only is not None:
            dst.write_metadata(prepared, metadata_only)
            err.print(f"Metadata written to {metadata_only}; serve it with: "
                      f"datasette {prepared.path} --metadata {metadata_only}", highlight=False, soft_wrap=True)
            return
        sock = dst.bind(host, port)
    except (dst.DatasetteError, DatabaseError, SchemaDocDrift) as exc:
        raise fail(str(exc))
    url = dst.base_url(sock, prepared.name)
    if not dst.is_loopback(host):
        err.print(f"[yellow]warning[/yellow] listening on {host}: anyone who can reach this machine can "
                  "read the whole database", highlight=False, soft_wrap=True)
    err.print(f"Datasette at {url} (canned queries: {', '.join(dst.query_names())}); Ctrl-C stops.",
              highlight=False, soft_wrap=True)
    try:
        dst.serve(prepared, sock)
    except dst.DatasetteError as exc:
        raise fail(str(exc))
    finally:
        sock.close()


# --------------------------------------------------------------------------- server


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the schema or migrate it to this version (safe while other processes start)."""
    from db.errors import DatabaseError
    from db.migrate import head_revision, upgrade
    from db.session import get_engine

    try:
        upgrade(get_engine(db))
    except DatabaseError as exc:
        raise fail(str(exc))
    out.print(f"Database {_db_label(db)} is at revision {head_revision()}.", highlight=False, soft_wrap=True)


@model_app.command("train")
def model_train(
    language: Annotated[str, typer.Option(help="Language of the model: en (ClaimBuster) or zh (our labels).")] = "en",
    data: Annotated[Optional[list[Path]], typer.Option(
        help="Labelled sentences: for en a sentence_id/label/text TSV; for zh gold label files "
             "(file/start/end/sha/label/kind, repeatable).")] = None,
    output: Annotated[Optional[Path], typer.Option(help="Where to write the model file.")] = None,
) -> None:
    """Cross-validate and train the check-worthiness model, then write its gzip JSON file.

    The same data and seed give the same file byte for byte.
    """
    from flows.training import DEFAULT_DATA, RECIPES, ZH_GOLD, default_output, train_file, train_gold

    if language not in RECIPES:
        raise fail(f"no training recipe for language {language!r}; use one of: {', '.join(RECIPES)}")
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise fail("training needs scikit-learn: pip install 'claimledger[train]'")
    sources = list(data or ([DEFAULT_DATA] if language == "en" else ZH_GOLD))
    for source in sources:
        if not source.is_file():
            raise fail(f"{source}: no such file")
    target = output or default_output(language)
    try:
        model = (train_file(sources[0], target, language=language) if language == "en"
                 else train_gold(sources, target, language=language))
    except (OSError, ValueError) as exc:
        raise fail(str(exc))
    cv = model["metadata"]["cv"]
    at = cv["at_threshold"]
    out.print(f"{target}: {len(model['terms'])} terms; {cv['folds']}-fold CV at threshold {cv['threshold']}: "
              f"P {at['precision']:.3f} R {at['recall']:.3f} F1 {at['f1']:.3f}, "
              f"non-claims claimed {at['non_claims_claimed']:.3f}", highlight=False, soft_wrap=True)


@server_app.command("status")
def server_status() -> None:
    """Show whether the background Prefect server is running."""
    from flows.runtime import healthy, read_state

    state = read_state()
    if state and healthy(state.api_url):
        pid = f"pid {state.pid}" if state.pid else "pid unknown"
        out.print(f"running ({pid}) at {state.api_url}", highlight=False)
    else:
        out.print("not running")


@server_app.command("stop")
def server_stop() -> None:
    """Stop the background Prefect server started by claimledger."""
    from flows.runtime import stop_server

    out.print("stopped" if stop_server() else "not running")


def main() -> None:
    from flows import threadsafe_ast

    threadsafe_ast.install()  # before any thread: CPython < 3.13 cannot build ASTs on two threads at once
    configure_prefect_env()
    debug = "--debug" in sys.argv[1:]
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        if debug:
            raise
        from db.errors import DatabaseError

        # A database fault already names the database and the cause; anything else gets its class.
        prefix = "" if isinstance(exc, DatabaseError) else f"{exc.__class__.__name__}: "
        err.print(f"[red]Error:[/red] {prefix}{exc}", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
