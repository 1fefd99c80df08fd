"""`newsroom.checks`: the copy-desk checks in force, run for the newsroom's articles.

The engine and the rules are the domain's (`editor.core.checks`); this part knows the
newsroom: its style file, its dictionary and the findings people dismissed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.errors import ValidationError
from editor.core.model import Article

if TYPE_CHECKING:  # for type checkers only; the checks load when first run (YAML, rules)
    from editor.core.checks import CheckEngine, Dismissal, Finding, Style
    from editor.services.seat import CheckSeat


class CheckService:
    """`newsroom.checks`: the copy-desk checks in force, over the seat's store and user.

    The seat also gives the dictionary (`dictionary_words`), whose words the checks accept.
    """

    def __init__(self, seat: CheckSeat) -> None:
        self._seat = seat
        #: The newsroom's own style file (a preference or `--style`); None: $NEWSROOM_STYLE
        #: or else the house style.
        self.style_path: str | Path | None = None

    def set_style_path(self, path: str | Path | None) -> Style:
        """Use the style file at `path` from now on (None: back to the default).

        The file is read at once, so a mistake in it is reported here and the style in
        force stays as it was.
        """
        from editor.core.checks import load_style, style_path_from

        style = load_style(style_path_from(path))
        self.style_path = path
        return style

    def check_engine(self) -> CheckEngine:
        """The engine for the style in force and this newsroom's dictionary."""
        dictionary = frozenset(_dictionary_words(self._seat))
        from editor.core.checks import engine_for, style_path_from

        return engine_for(style_path_from(self.style_path), dictionary)

    def check_article(
        self, article: str | Article, *, include_dismissed: bool = False
    ) -> list[Finding]:
        """Findings on an article (an id, or an `Article` not necessarily stored).

        Dismissed findings are left out unless `include_dismissed`, in which case they
        come back with `dismissed=True`.
        """
        if isinstance(article, str):
            article = self._seat.store.get_article(article)
        findings = self.check_engine().check(article)
        from editor.core.checks import mark_dismissed

        findings = mark_dismissed(findings, self._dismissals_of(article.id))
        if include_dismissed:
            return findings
        return [f for f in findings if not f.dismissed]

    def dismiss_finding(self, article_id: str, finding: Finding, note: str = "") -> Dismissal:
        """Judge `finding` fine for this article: later checks leave it out."""
        from editor.core.checks import Finding

        if not isinstance(finding, Finding):
            raise ValidationError("Only a finding of the checks can be dismissed.")
        return self._seat.store.findings.dismiss_finding(
            article_id, finding.rule, finding.fingerprint, self._seat.user.id, note.strip()
        )

    def undismiss(self, article_id: str, finding: Finding | Dismissal) -> bool:
        """Bring a dismissed finding back; False when it was not dismissed."""
        return self._seat.store.findings.undismiss_finding(
            article_id, finding.rule, finding.fingerprint
        )

    def dismissed_findings(self, article_id: str) -> list[Dismissal]:
        return self._dismissals_of(article_id)

    def blocking_findings(self, article_id: str) -> list[Finding]:
        """Findings of level error that are not dismissed: they block Submit."""
        from editor.core.checks import Level

        return [f for f in self.check_article(article_id) if f.level is Level.ERROR]

    def _dismissals_of(self, article_id: str) -> list[Dismissal]:
        store = getattr(self._seat, "store", None)
        if store is None or not article_id:
            return []
        try:
            return store.findings.dismissed_findings(article_id)
        except AttributeError:  # a store without the findings table (should not happen)
            return []


def _dictionary_words(newsroom: object) -> list[str]:
    words = getattr(newsroom, "dictionary_words", None)
    if words is None:
        return []
    try:
        return list(words())
    except AttributeError:  # the dictionary store methods are not there yet
        return []
