"""The ``kb`` command: a thin layer over the knowledge base; every command calls one kb function."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kb.errors import KbError
from kb.eval_sets import HELD_OUT_SETS, TUNING_SETS
from kb.settings import KbSettings

EXIT_USAGE = 2
EXIT_INDEX = 3


class IndexUnusable(click.ClickException):
    exit_code = EXIT_INDEX


def _settings() -> KbSettings:
    return KbSettings()


def _open_kb(settings: KbSettings):
    """Build when needed, then open the published index; a damaged index is one clear error."""
    from kb.publish import ensure_index, published_dir
    from kb.service import KnowledgeBase

    from kb.errors import IndexDamagedError

    try:
        ensure_index(settings, progress=lambda m: click.echo(m, err=True))
        directory = published_dir(settings)
    except IndexDamagedError as exc:
        raise IndexUnusable(str(exc)) from exc
    except KbError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        return KnowledgeBase(directory, settings)
    except Exception as exc:  # whoosh / json errors on a damaged folder
        raise IndexUnusable(f"the index at {directory} is damaged ({type(exc).__name__}); "
                            "run `kb build --force` to rebuild it") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Wanzhou IP policy assistant: knowledge base tools."""


@main.command()
@click.option("--force", is_flag=True, help="Publish even if the evaluation is worse than the serving index.")
@click.option("--no-gate", is_flag=True, help="Skip the evaluation gate entirely.")
def build(force: bool, no_gate: bool) -> None:
    """Build the index from corpus/ and publish it atomically."""
    from kb.publish import build_and_publish

    try:
        build_and_publish(_settings(), gate=not no_gate, force=force, progress=lambda m: click.echo(m))
    except KbError as exc:
        raise click.ClickException(str(exc)) from exc


def _print_answer(answer) -> None:
    click.echo(answer.answer)
    for suggestion in answer.suggestions:
        click.echo(f"  ? {suggestion.question}")


def _read_batch(source: str) -> list[str]:
    stream = sys.stdin if source == "-" else None
    try:
        text = stream.read() if stream else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot read {source}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"cannot read {source}: not UTF-8 text (byte {exc.start})") from exc
    return [line.strip() for line in text.splitlines()]


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer contract as JSON.")
@click.option("--batch", metavar="FILE", help="One question per line ('-' for stdin); one JSON object per line.")
def ask(question: str | None, as_json: bool, batch: str | None) -> None:
    """Answer a question (or a batch of questions) from the published index."""
    if question is None and batch is None:
        raise click.UsageError("give a question, or --batch FILE")
    settings = _settings()
    kb = _open_kb(settings)
    questions = _read_batch(batch) if batch else [question or ""]
    for q in questions:
        answer = kb.answer(q)
        if as_json or batch:
            click.echo(json.dumps(answer.model_dump(mode="json", exclude={"suggestions"} if not answer.suggestions else set()),
                                  ensure_ascii=False))
        else:
            _print_answer(answer)


@main.command(name="eval")
@click.option("--set", "sets", multiple=True, show_default=True, default=TUNING_SETS + HELD_OUT_SETS,
              help="Evaluation files under corpus/eval/.")
@click.option("--no-baseline", is_flag=True, help="Skip the naive baseline.")
@click.option("--misses", is_flag=True, help="List every question answered wrongly.")
def eval_command(sets: tuple[str, ...], no_baseline: bool, misses: bool) -> None:
    """Measure answer quality on the labelled questions, beside the naive baseline."""
    from kb.baseline import NaiveBaseline
    from kb.corpus import load_eval
    from kb.evaluate import evaluate, report

    settings = _settings()
    kb = _open_kb(settings)
    baseline = None if no_baseline else NaiveBaseline(kb.units())
    try:
        for name in sets:
            questions = load_eval(settings.corpus_dir, (name,))
            if not questions:
                click.echo(f"(no questions in corpus/eval/{name})")
                continue
            ours = evaluate(kb.answer, questions)
            base = evaluate(baseline.answer, questions) if baseline else None
            click.echo(report(ours, base, name))
            if misses:
                click.echo("\n".join(ours.misses))
    except KbError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if baseline:
            baseline.close()


@main.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1, or KB_WEB_HOST).")
@click.option("--port", type=int, default=None, help="Port (default 8080, or KB_WEB_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the web chat and JSON API; also the Telegram bot when TELEGRAM_BOT_TOKEN is set."""
    import asyncio
    import logging

    from bot.app import main as serve_main  # the channels, and aiogram only when a token is set

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve_main(host, port))
    except KbError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {host or '127.0.0.1'}:{port or 8080}: {exc.strerror}") from exc


@main.command()
def units() -> None:
    """List every unit: id, path and heading."""
    kb = _open_kb(_settings())
    for unit in kb.units():
        click.echo(f"{unit.id}\t{' > '.join(unit.path)}")


@main.command()
@click.argument("unit_id")
def show(unit_id: str) -> None:
    """Print the full text of one unit with its citation."""
    kb = _open_kb(_settings())
    unit = kb.unit(unit_id)
    if unit is None:
        raise click.ClickException(f"no unit '{unit_id}' (see `kb units`)")
    click.echo(kb.reference(unit.id))
    click.echo(" > ".join(unit.path))
    click.echo()
    click.echo(unit.text)


@main.command()
@click.option("--quick", is_flag=True, help="Skip the check that asks every FAQ question against a candidate index.")
def check(quick: bool) -> None:
    """Check the whole corpus and list every problem as file:line: message (publishes nothing).

    Exit status 0 when the corpus can be published, 1 when anything must be fixed first.
    """
    from kb.check import check_corpus

    try:
        report = check_corpus(_settings(), matching=not quick)
    except KbError as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) found; fix them and run `kb check` again. "
                   "Nothing was published.", err=True)
        sys.exit(1)
    click.echo(report.summary())


@main.group()
def faq() -> None:
    """Work on FAQ entries (corpus/faq/*.yaml)."""


@faq.command(name="new")
@click.option("--topic", metavar="TOPIC", help="Topic id (corpus/topics.yaml); the entry goes to corpus/faq/TOPIC.yaml.")
@click.option("--id", "entry_id", metavar="ID", help="Id of the new entry (lower-case letters, digits, '-').")
def faq_new(topic: str | None, entry_id: str | None) -> None:
    """Append a commented template entry for you to fill in.

    Every 待补充 in it must be replaced before `kb check` (and so `kb build`) accepts the corpus.
    """
    from kb.check import shown
    from kb.scaffold import new_entry

    try:
        path, line = new_entry(_settings().corpus_dir, topic, entry_id)
    except KbError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{shown(path)}:{line}: new FAQ entry; replace every 待补充, then run `kb check`")


def _open_published(settings: KbSettings):
    """The index serving now, as it is: unlike _open_kb, never rebuilt from a corpus being edited
    (which may hold unfinished drafts); built only when nothing has been published yet."""
    from kb.publish import published_dir
    from kb.service import KnowledgeBase

    try:
        directory = published_dir(settings)
    except KbError:
        return _open_kb(settings)
    try:
        return KnowledgeBase(directory, settings)
    except Exception as exc:  # whoosh / json errors on a damaged folder
        raise IndexUnusable(f"the index at {directory} is damaged ({type(exc).__name__}); "
                            "run `kb build --force` to rebuild it") from exc


@main.command()
@click.option("--days", type=click.IntRange(min=1), metavar="N", help="Only questions of the last N days.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write every question, with its group, to FILE (CSV, opens in Excel/WPS).")
@click.option("--draft", "draft_id", type=int, metavar="GROUP",
              help="Write a draft FAQ entry from group GROUP (the number in brackets) for you to finish.")
@click.option("--examples", type=click.IntRange(min=1), default=3, show_default=True,
              help="Example questions shown per group.")
def review(days: int | None, csv_path: Path | None, draft_id: int | None, examples: int) -> None:
    """Unanswered and 👎 questions from the question log, grouped by similarity, newest group first.

    Questions older than the retention period (KB_LOG_RETENTION_DAYS) are deleted first.
    """
    from kb.check import shown
    from kb.review import draft_from_cluster, format_clusters, review as find_clusters, write_csv

    settings = _settings()
    clusters, purged = find_clusters(settings, days)
    if purged:
        click.echo(f"deleted {purged} logged question(s) older than {settings.log_retention_days} days "
                   "(retention period)", err=True)
    if draft_id is not None:
        cluster = next((c for c in clusters if c.id == draft_id), None)
        if cluster is None:
            raise click.ClickException(f"no group [{draft_id}] (run `kb review` with the same --days to see them)")
        kb = _open_published(settings)
        try:
            path, line = draft_from_cluster(settings, cluster, kb)
        except KbError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{shown(path)}:{line}: draft FAQ entry from group [{draft_id}]; "
                   "write its id and answer (every 待补充), then run `kb check`")
        return
    total = sum(c.count for c in clusters)
    window = f"last {days} days" if days else f"last {settings.log_retention_days} days (retention period)"
    click.echo(f"{total} question(s) to review in {len(clusters)} group(s), {window}")
    if clusters:
        click.echo(format_clusters(clusters, examples))
        click.echo("draft an FAQ entry from a group: kb review --draft GROUP")
    if csv_path is not None:
        rows = write_csv(clusters, csv_path)
        click.echo(f"wrote {rows} row(s) to {csv_path}")


if __name__ == "__main__":
    main()
