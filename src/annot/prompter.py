"""The Rich front end of a `questions.Session`: each question at a prompt, each wrong answer's
reason in red, `?` for the choices and their meanings, Tab to complete a choice."""

from __future__ import annotations

from typing import Any

from .questions import Question, Session


def interview(session: Session, console: Any) -> None:
    """Ask until the session has every answer; KeyboardInterrupt and EOFError pass through (a
    closed terminal or a kill comes as KeyboardInterrupt: `signals.as_interrupt`)."""
    completion = _Completion()
    while session.current is not None:
        question = session.current
        if session.notice:
            console.print(f"[yellow]{_shown(session.notice)}[/yellow]")
            session.notice = None
        completion.offer(question)
        answer = _ask(console, _label(question), question.default, completion.active)
        if answer.strip() == "?":
            listing = question.listing()
            if not listing:
                console.print("[dim]no list of choices here[/dim]")
            for code, meaning in listing:
                console.print(f"  [bold]{_shown(code)}[/bold]  {_shown(meaning)}".rstrip())
            continue
        try:
            answer.encode("utf-8")
        except UnicodeEncodeError:  # a byte typed that is not UTF-8 arrives as a lone surrogate
            console.print("[red]not valid text (a byte that is not UTF-8); type it again[/red]")
            continue
        reason = session.give(answer)
        if reason is not None:
            console.print(f"[red]{_shown(reason)}[/red]")


def _ask(console: Any, label: str, default: str, line_editing: bool) -> str:
    """One line typed after the prompt. The prompt goes to input() itself, so that readline
    knows where the line starts (else an empty answer does not even move to the next line)."""
    import re

    shown = label + (f" [dim]({_shown(default)})[/dim]" if default else "") + ": "
    with console.capture() as captured:
        console.print(shown, end="")
    prompt = captured.get()
    if line_editing:  # readline counts the width of the prompt: colour codes take none
        prompt = re.sub(r"(\x1b\[[0-9;]*m)", "\x01\\1\x02", prompt)
    return input(prompt)


def _shown(text: str) -> str:
    """Text from a record, an actor list or a file name, as Rich markup that prints it as it
    is: escape sequences and newlines shown as escapes, brackets not taken for markup."""
    from rich.markup import escape

    from .render import printable

    return escape(printable(text, one_line=True))


def _label(question: Question) -> str:
    hint = ""
    if question.yes_no:
        hint = " [dim](y/n)[/dim]"
    elif question.choices and len(question.choices) <= 8:
        hint = f" [dim]({_shown('/'.join(question.choices))})[/dim]"
    elif question.choices or (question.meanings and "?" not in question.label):
        hint = " [dim](? lists them)[/dim]"
    if question.clearable and question.default:
        hint += " [dim](- clears)[/dim]"
    return _shown(question.label) + hint


class _Completion:
    """Tab completes the current question's choices where readline is available (a terminal)."""

    def __init__(self) -> None:
        import sys

        self.active = sys.stdin.isatty() and sys.stdout.isatty()
        self.words: list[str] = []
        try:
            import readline
        except ImportError:  # pragma: no cover - every POSIX Python has it
            self.active = False
            return
        readline.set_completer(self.complete)
        readline.set_completer_delims(", ")
        readline.parse_and_bind("tab: complete")

    def offer(self, question: Question) -> None:
        self.words = list(question.choices or question.meanings)

    def complete(self, text: str, state: int) -> str | None:
        matches = [w for w in self.words if w.lower().startswith(text.lower())]
        return matches[state] if state < len(matches) else None
