"""The workflow in the window: status actions, flags, audit log, read-only state and users.

`install_workflow(window)` adds the workflow strip, the flags and the audit log to the
inspector and the desk views above the list, and wires the Article menu, File ▸ Switch
User and File ▸ Users. Every step goes through `Newsroom` (one permission check); this
module saves the editing session first, asks for the note, shows a refusal as a message
and reloads the article so every panel shows its new status and rights.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QWidget

from editor.core.errors import NewsroomError
from editor.core.model import Article, Event, Role, User
from editor.services.workflow import TRANSITIONS, Action, Decision, needs_note
from editor.ui import dialogs
from editor.ui.desk.views import install_desk_views
from editor.ui.inspector.audit_log import AuditLogSection
from editor.ui.inspector.flags import FlagsPanel
from editor.ui.workflow import note_dialog, users_dialog
from editor.ui.workflow.bar import WorkflowBar, read_only_notice

#: Actions that ask for a note first (Return and Correct require one).
ASKS_NOTE = frozenset({Action.SUBMIT, Action.RETURN, Action.APPROVE, Action.SPIKE})

_DONE = {
    Action.SUBMIT: "Submitted",
    Action.RETURN: "Returned to the reporter",
    Action.APPROVE: "Approved",
    Action.PUBLISH: "Published",
    Action.SPIKE: "Spiked",
    Action.REOPEN: "Reopened",
    Action.CORRECT: "Correction published for",
}

#: Actions that change text; disabled while the article is read-only.
_EDITING_ACTIONS = (
    "edit_paste_plain",
    "edit_replace",
    "format_apply_typography",
    "format_image",
    "format_table_insert",
)

_DESK_ROLES = (Role.EDITOR, Role.ADMIN)


class WorkflowController(QObject):
    """Drives the strip, the Article menu, the flags and the audit log of one window.

    `ask_note`, `ask_correction` and `choose_user` are the questions put to the person;
    tests replace them to answer without a modal dialog.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.newsroom = window.newsroom
        self.session = window.session
        self.decisions: dict[Action, Decision] = {}
        self.events: list[Event] = []
        self.ask_note: Callable[[Action, str], str | None] = lambda action, headline: (
            note_dialog.ask_note(window, action, headline)
        )
        self.ask_correction: Callable[[str, str], tuple[str, str | None] | None] = (
            lambda headline, body: note_dialog.ask_correction(window, headline, body)
        )
        self.choose_user: Callable[[], User | None] = lambda: users_dialog.choose_user(
            self.newsroom, window
        )
        #: A note the rule requires this time, with why and the OK button's words.
        self.ask_required_note: Callable[[Action, str, str, str], str | None] = (
            lambda action, headline, why, ok_text: note_dialog.ask_note(
                window, action, headline, required=True, why=why, ok_text=ok_text
            )
        )

        self._typing_nudge = _TypingNudge(self)
        self.bar = WorkflowBar()
        self.flags = FlagsPanel()
        self.audit = AuditLogSection()
        window.inspector.add_section(self.bar, top=True)
        window.inspector.add_section(self.flags)
        window.inspector.add_section(self.audit)
        self.desk_views = install_desk_views(window)
        # The strip shows the status with its icon; the form's own badge would repeat it.
        _hide_form_row(window.inspector, window.inspector.status)

        self.bar.action_requested.connect(self.perform)
        self.banner = getattr(window, "read_only_bar", None)
        if self.banner is not None:
            self.banner.action_requested.connect(self.perform)
        self.flags.flags_edited.connect(self.apply_flags)
        for action in TRANSITIONS:
            window.actions[f"article_{action.value}"].triggered.connect(
                lambda _checked=False, a=action: self.perform(a.value)
            )
        for entry in window.menuBar().actions():
            if entry.menu() is not None and entry.text().replace("&", "") == "Article":
                entry.menu().setToolTipsVisible(True)  # a greyed step says why on hover
        # A lambda, not the method: PySide passes `triggered(checked)` to a slot that takes
        # an argument, and `switch_user(False)` would try to switch to the user "False".
        window.actions["file_switch_user"].triggered.connect(
            lambda _checked=False: self.switch_user()
        )
        window.actions["file_users"].triggered.connect(lambda _checked=False: self.manage_users())
        # After the window's own slots (connected earlier) have shown the article.
        self.session.opened.connect(self.refresh)
        # A read-only story's session is never dirty: an edit that got through anyway
        # (a bug) is dropped, said on the bar, and the stored text shown again.
        self._rights_for: tuple[str, int] | None = None
        self._reload_pending = False
        self.session.may_edit = self._may_edit
        self.session.edit_refused.connect(self._on_edit_refused)
        # A save (autosave too) can change the rights: whoever wrote the last revision
        # may no longer approve it. The strip must say so before the note is typed.
        self.session.saved.connect(self.refresh_rights)
        stack = getattr(window, "body_stack", None)
        if stack is not None and hasattr(stack, "mode_changed"):
            # Leaving the Markdown source re-enables the format tools: lock them again.
            stack.mode_changed.connect(lambda _source: self._apply_read_only(self.session.article))
        self.refresh()
        self._show_identity()

    # -- showing ---------------------------------------------------------

    def refresh(self, *_args: object) -> None:
        """Show the open article's status, the acting user's rights and its audit log."""
        article: Article | None = self.session.article
        decisions: list[Decision] = []
        self.events = []
        if article is not None:
            try:
                decisions = self.newsroom.allowed_actions(article)
                self.events = self.newsroom.events(article.id)
            except NewsroomError as error:
                self.window.status.showMessage(str(error), 8000)
        self._show_rights(article, decisions)
        is_desk = self.newsroom.user.role in _DESK_ROLES
        self.flags.show_article(
            article,
            editable=article is not None and is_desk,
            reason="" if is_desk else "Only an editor sets the flags.",
        )
        self.audit.show_events(self.events)
        self.audit.setVisible(article is not None)
        self.flags.setVisible(article is not None)

    def refresh_rights(self, *_args: object) -> None:
        """After a save: the strip's buttons, tooltips and the Article menu, asked anew.

        A save writes a revision but no event, so the audit log and the flags stay; the
        rights are asked again because the writer of the last revision changed.
        """
        article: Article | None = self.session.article
        if article is None:
            return
        try:
            decisions = self.newsroom.allowed_actions(article)
        except NewsroomError as error:
            self.window.status.showMessage(str(error), 8000)
            return
        self._show_rights(article, decisions)

    def _show_rights(self, article: Article | None, decisions: list[Decision]) -> None:
        self.decisions = {d.action: d for d in decisions}
        self._rights_for = (article.id, article.version) if article is not None else None
        self.bar.show_state(article, decisions, self.events)
        for action in TRANSITIONS:
            qaction = self.window.actions[f"article_{action.value}"]
            decision = self.decisions.get(action)
            qaction.setEnabled(bool(decision and decision.allowed))
            tip = decision.reason if decision else "Open an article first"
            qaction.setStatusTip(tip)
            qaction.setToolTip(f"{action.label}: {tip}")
        self._show_delete_right(article)
        self._apply_read_only(article)
        if self.banner is not None:
            self.banner.show_state(article, self.decisions)

    def _show_delete_right(self, article: Article | None) -> None:
        """Article ▸ Delete greyed out, with the reason, when the rule says no."""
        qaction = self.window.actions["article_delete"]
        decision = None
        if article is not None:
            try:
                decision = self.newsroom.delete_decision(article)
            except NewsroomError:
                decision = None
        qaction.setEnabled(bool(decision and decision.allowed))
        tip = decision.reason if decision else "Open an article first"
        qaction.setStatusTip(tip)
        qaction.setToolTip(f"Delete: {tip}")

    def _may_edit(self) -> bool:
        """False only when the rights asked for this very version say no (rights not yet
        asked, e.g. while an article loads, are left to the store)."""
        article = self.session.article
        if article is None or self._rights_for != (article.id, article.version):
            return True
        return self.can_edit()

    def _on_edit_refused(self) -> None:
        self.nudge_read_only()
        if not self._reload_pending:
            self._reload_pending = True
            QTimer.singleShot(0, self._reload_refused)

    def _reload_refused(self) -> None:
        """What is stored, again: the refused edit is not on screen either."""
        self._reload_pending = False
        if self.session.article is not None and not self._may_edit():
            self.session.reload()

    def can_edit(self) -> bool:
        edit = self.decisions.get(Action.EDIT)
        return bool(self.session.article is not None and edit and edit.allowed)

    def _apply_read_only(self, article: Article | None) -> None:
        """Approved, published, spiked, or not this person's to edit: lock text and details."""
        w = self.window
        editable = self.can_edit()
        if article is None:
            return  # the window already shows an empty, disabled editor
        w.editor.setReadOnly(not editable)
        w.headline_field.setReadOnly(not editable)
        stack = getattr(w, "body_stack", None)
        # Formatting is for the rich text: the Markdown source view has none.
        rich = editable and not getattr(stack, "source_mode", False)
        w.format_controller.set_enabled(rich)
        if stack is not None:
            stack.source.setReadOnly(not editable)  # the Markdown source view of the body
        names = set(w.actions.names())
        for name in _EDITING_ACTIONS:
            if name in names:
                w.actions[name].setEnabled(rich if name.startswith("format_") else editable)
        notice = read_only_notice(article, self.decisions.get(Action.EDIT))
        w.inspector.set_read_only(not editable, notice)
        w.editor.setToolTip(notice)
        # Typing into the locked text says why (the filter is there only while locked:
        # nothing is added to the path of a key typed into an editable story).
        for target in (w.editor, w.headline_field, getattr(stack, "source", None)):
            if target is not None:
                target.removeEventFilter(self._typing_nudge)
                if not editable:
                    target.installEventFilter(self._typing_nudge)

    def nudge_read_only(self) -> None:
        """A key typed into locked text: say why where the person looks (bar, status)."""
        article = self.session.article
        if article is None or self.can_edit():
            return
        if self.banner is not None:
            self.banner.show_state(article, self.decisions)
            self.banner.flash()
            text = self.banner.plain_text()
        else:
            text = read_only_notice(article, self.decisions.get(Action.EDIT))
        if text and self.window.status.currentMessage() != text:
            self.window.status.showMessage(text, 6000)

    def _show_identity(self) -> None:
        user = self.newsroom.user
        store = self.newsroom.store
        where = store.path.name if getattr(store, "path", None) else "store"
        fixed = self.newsroom.fixed_identity  # a shared desk: the database login is who acts
        if fixed:
            where = f"shared desk ({self.newsroom.login_of(user) or 'your login'})"
        self.window.status.show_identity(users_dialog.describe(user), where)
        self.window.status.identity.setToolTip(
            "On the shared desk you work as your database login"
            if fixed
            else "File ▸ Switch User… to work as someone else"
        )
        switch = self.window.actions["file_switch_user"]
        switch.setEnabled(not fixed)
        switch.setToolTip(
            "On the shared desk you are your database login: connect as someone else to be them"
            if fixed
            else "Work as another person of this newsroom"
        )
        self.window.actions["file_users"].setEnabled(user.role is Role.ADMIN)
        self.window.actions["file_users"].setToolTip(
            "Users…" if user.role is Role.ADMIN else "Only an admin manages users"
        )

    # -- workflow steps ----------------------------------------------------

    def perform(self, action_value: str, note: str | None = None) -> Article | None:
        """Save, ask for the note, apply the step; the refused step says why in a message.

        `note` given: no question is asked (tests, scripts). Returns the updated article,
        or None when cancelled or refused.
        """
        action = Action(action_value)
        if self.session.article is None:
            return None
        if not self.session.save(reason="save"):
            return None  # the session has shown why (or the person kept editing)
        article = self.session.article
        assert article is not None
        headline = article.headline or "Untitled"
        body: str | None = None
        decision = self.decisions.get(action)
        if note is None and decision is not None and not decision.allowed:
            note = ""  # refused whatever the note says: no form to fill in for nothing
        if note is None:
            required = self._required_note(action, article) if action is Action.SUBMIT else None
            if action is Action.CORRECT:
                answer = self.ask_correction(headline, article.body)
                if answer is None:
                    return None
                note, body = answer
            elif required is not None:
                why, ok_text = required
                if not why:
                    note = ""  # refused whatever the note says: the rule's words, not a form
                else:
                    note = self.ask_required_note(action, headline, why, ok_text)
                    if note is None:
                        return None
            elif action in ASKS_NOTE:
                note = self.ask_note(action, headline)
                if note is None:
                    return None
            else:
                note = ""
        try:
            updated = self.newsroom.transition(
                article.id, action, note, expected_version=article.version, body=body
            )
        except NewsroomError as error:
            dialogs.show_error(self.window, f"Cannot {action.label}", str(error))
            if getattr(error, "findings", None) and hasattr(self.window, "checks"):
                self.window.side_tabs.setCurrentWidget(self.window.checks)  # what to fix
            self.session.reload()  # show what the store has now (another desk may have moved)
            return None
        self._after_change(updated)
        self.window.status.showMessage(f"{_DONE[action]} “{headline}”.", 8000)
        return updated

    def _required_note(self, action: Action, article: Article) -> tuple[str, str] | None:
        """For Submit, what the rule wants besides the optional note, asked before typing.

        None: the usual optional note. `("", "")`: copy-desk errors refuse this person
        whatever the note (a reporter), so nothing is asked and the refusal comes from
        `transition` in the rule's words. `(why, ok_text)`: a note is required, because
        an editor submits over copy-desk errors or submits someone else's article;
        both are logged as an override.
        """
        try:
            findings = list(self.newsroom.blocking_findings(article.id))
            situation = self.newsroom.situation(article)
        except NewsroomError:
            return None  # the transition itself will say what is wrong
        desk = self.newsroom.user.role in _DESK_ROLES
        if findings and not desk:
            return "", ""
        why: list[str] = []
        if findings:
            count = len(findings)
            errors = "1 copy-desk error blocks" if count == 1 else f"{count} copy-desk errors block"
            listed = "; ".join(str(getattr(f, "message", f)).strip().rstrip(".") for f in findings)
            why.append(f"{errors} submitting: {listed}.")
            why.append("As an editor you may submit it anyway: say why in the note. It is "
                       "logged as an override.")  # fmt: skip
        if needs_note(action, situation):
            decision = self.decisions.get(action)
            if decision is not None and decision.allowed:
                why.append(decision.reason.rstrip(".") + ".")  # the rule's own words
        if not why:
            return None
        return "\n\n".join(why), "Submit Anyway" if findings else "Submit for Author"

    def apply_flags(self, values: dict[str, object]) -> Article | None:
        """Set a flag through `Newsroom.set_flags` (editors only; refusals as a message)."""
        if self.session.article is None:
            return None
        if not self.session.save(reason="save"):
            self.refresh()
            return None
        article = self.session.article
        assert article is not None
        try:
            updated = self.newsroom.set_flags(
                article.id, expected_version=article.version, **values
            )
        except NewsroomError as error:
            dialogs.show_error(self.window, "Cannot Change the Flags", str(error))
            self.session.reload()
            return None
        self._after_change(updated)
        return updated

    def _after_change(self, updated: Article) -> None:
        self.session.reload()  # every panel shows the new status, rights and log
        self.window.bus.article_saved.emit(updated)
        self.desk_views.refresh_counts()

    # -- people ------------------------------------------------------------

    def switch_user(self, user: User | str | None = None) -> bool:
        """Save, then work as `user` (asked when None); the rights follow at once."""
        if user is None:
            user = self.choose_user()
            if user is None:
                return False
        if not self.session.save(reason="save"):
            return False
        try:
            self.newsroom.switch_user(user)
        except NewsroomError as error:
            dialogs.show_error(self.window, "Switch User", str(error))
            return False
        state = getattr(self.window, "_window_state", None)
        if state is not None:
            state.remember_user(self.newsroom.user.name)
        self._show_identity()
        self.refresh()
        self.window.list_model.reload()
        self.desk_views.refresh_counts()
        self.window.status.showMessage(
            f"Working as {users_dialog.describe(self.newsroom.user)}.", 8000
        )
        return True

    def manage_users(self) -> None:
        users_dialog.UsersDialog(self.newsroom, self.window).exec()

    def shutdown(self) -> None:
        self.desk_views.shutdown()


class _TypingNudge(QObject):
    """Installed on the locked editors: a typed key shows the read-only reason."""

    def __init__(self, controller: WorkflowController) -> None:
        super().__init__(controller)
        self._controller = controller

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and _changes_text(event):
            self._controller.nudge_read_only()
        return False  # the editor still gets the key (arrows, copy, find work)


def _changes_text(event: QKeyEvent) -> bool:
    """A key that would type or delete (not Ctrl+C, arrows or Tab)."""
    mods = (
        event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
    )
    if mods:
        return False
    if event.key() in (
        Qt.Key.Key_Backspace,
        Qt.Key.Key_Delete,
        Qt.Key.Key_Return,
        Qt.Key.Key_Enter,
    ):
        return True
    text = event.text()
    return bool(text) and text.isprintable()


def _hide_form_row(inspector: QWidget, field: QWidget) -> None:
    holder = field.parentWidget()
    for form in inspector.findChildren(QFormLayout):
        if holder is not None and form.indexOf(holder) >= 0:
            form.setRowVisible(holder, False)


def install_workflow(window) -> WorkflowController:
    return WorkflowController(window)
