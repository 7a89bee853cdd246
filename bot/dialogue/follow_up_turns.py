"""The engine's turns for check-ins and the return-to-running plan, mixed into
:class:`bot.dialogue.engine.Engine`: the check-in offer at a result, ``/checkins``, the check-in
conversation (better / about the same / worse, then the pains), ``/log`` and ``/progress``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.dialogue import checkins, followup, running
from bot.dialogue.messages import Incoming
from bot.dialogue.session import Session
from bot.knowledge import Knowledge, Urgency
from bot.understanding import Lexicon, Understanding, understand
from bot.understanding.answers import read_choice

if TYPE_CHECKING:
    from bot.dialogue.engine import Draft
    from bot.dialogue.render import Renderer
    from bot.dialogue.spec import DialogueSpec
    from bot.reasoning import Assessment


class FollowUpTurns:
    """Check-in and plan turns; the engine provides what is declared here."""

    knowledge: Knowledge
    dialogue: DialogueSpec
    render: Renderer
    lexicon: Lexicon
    day: float
    """Seconds in a day for check-ins (process tests scale it down)."""

    if TYPE_CHECKING:

        def assessment(self, session: Session) -> Assessment: ...
        def new_session(self, *, at: float = 0.0) -> Session: ...
        def prompt(self, draft: Draft) -> None: ...
        def _answer(self, draft: Draft, incoming: Incoming) -> None: ...
        def _raises_red_flag(self, session: Session, heard: Understanding) -> bool: ...

    def offers_checkin(self, session: Session) -> bool:
        return session.checkin is None and checkins.offered(self.assessment(session).urgency)

    def _typed_offer(self, session: Session, incoming: Incoming) -> str | None:
        """The check-in offer's button a typed answer names ("in a week please"), when the
        message says nothing else the consultation would keep (a red flag always does)."""
        if not incoming.text or session.state != self.dialogue.result:
            return None
        if (
            not self.offers_checkin(session)
            or not understand(incoming.text, self.lexicon, for_someone=session.for_someone).empty
        ):
            return None
        offers = checkins.offer_options(self.render)
        index = read_choice(incoming.text, [o.label for o in offers])
        return offers[index].value if index is not None else None

    def _checkin_button(self, draft: Draft, incoming: Incoming) -> None:
        """ "In 3 days" / "In a week" / "No thanks" at the result, "Cancel" under /checkins."""
        session, value = draft.session, incoming.button or ""
        days = checkins.days_of(value)
        at_result = session.state == self.dialogue.result
        if days is not None and at_result and self.offers_checkin(session):
            session.checkin = checkins.due_at(incoming.at, days, day=self.day)
            urgency = self.assessment(session).urgency.value
            session.follow = {"since": incoming.at, "urgency": urgency}
            when = checkins.when_text(session.checkin, incoming.at, self.render, day=self.day)
            draft.say(self.render.text("checkin_planned", when=when))
        elif value == checkins.DECLINE and at_result:
            draft.say(self.render.text("checkin_declined"))
        elif value == checkins.CANCEL and session.checkin is not None:
            session.checkin = None
            draft.say(self.render.text("checkin_cancelled"))
        else:
            draft.say(self.render.text("moved_on"))
        self.prompt(draft)

    def list_checkins(self, draft: Draft) -> None:
        """``/checkins``: the planned check-in and a button to cancel it, or that there is none."""
        due = draft.session.checkin
        if due is None:
            draft.say(self.render.text("checkins_none"))
            self.prompt(draft)
            return
        when = checkins.when_text(due, draft.at, self.render, day=self.day)
        draft.say(
            self.render.text("checkins_list", when=when),
            options=(checkins.cancel_option(self.render),),
        )

    def _follow_prompt(self, draft: Draft) -> None:
        stage = (draft.session.follow or {}).get("stage")
        if stage == "compare":
            draft.say(
                self.render.text("checkin_compare"), options=followup.compare_options(self.render)
            )
        elif stage == "during":
            draft.say(self.render.text("pain_during"), options=followup.pain_options(self.render))
        else:
            draft.say(
                self.render.text("pain_morning"), options=followup.pain_options(self.render)[:-1]
            )

    def _follow_up(self, draft: Draft, incoming: Incoming) -> None:
        """An answer to a check-in's question, or to ``/log``; a red flag or "worse" goes to a
        fresh consultation, starting with the red-flag screen."""
        session = draft.session
        follow = session.follow or {}
        text, button = incoming.text, incoming.button
        heard = (
            understand(text, self.lexicon, for_someone=session.for_someone)
            if text
            else Understanding()
        )
        trend = followup.read_trend(button, text) if follow["stage"] == "compare" else None
        red_flag = self._raises_red_flag(session, heard)
        if red_flag or trend == followup.WORSE:
            self._retriage(draft, text if red_flag else None)
            return
        logged = followup.read_log(text) if text and follow["stage"] == "during" else None
        pain = followup.read_pain(button, text)
        if follow["stage"] == "compare" and trend is not None:
            follow.update(stage="during", trend=followup.TRENDS[trend])
        elif follow["stage"] == "during" and followup.no_run(button, text):
            self._follow_done(draft, None)
            return
        elif logged is not None:
            self._follow_done(draft, logged)
            return
        elif follow["stage"] == "during" and pain is not None:
            follow.update(stage="morning", during=pain)
        elif follow["stage"] == "morning" and pain is not None:
            self._follow_done(draft, (int(follow["during"]), pain))
            return
        else:
            session.unread += 1
            if session.unread >= self.dialogue.unreadable_limit:
                self._end_follow(session)
                draft.say(self.render.text("followup_dropped"))
                return
            draft.say(self.render.text("followup_unread"))
        self._follow_prompt(draft)

    @staticmethod
    def _end_follow(session: Session) -> str:
        follow = session.follow or {}
        trend = str(follow.get("trend", "log"))
        kept = {k: v for k, v in follow.items() if k in ("since", "urgency")}
        session.follow = kept or None
        session.unread = 0
        return trend

    def _follow_done(self, draft: Draft, pains: tuple[int, int] | None) -> None:
        session = draft.session
        trend = self._end_follow(session)
        if trend == "same":
            if pains is not None and session.plan is not None:
                session.plan, _ = running.log_run(session.plan, self.knowledge.running, *pains)
            self._same(draft)
            return
        if trend == "better":
            draft.say(self.render.text("checkin_better"))
        self._run_logged(draft, pains)

    def _same(self, draft: Draft) -> None:
        """About the same: see a professional once the self-care period is over (or when the
        result said so), else keep going and check in again when it is."""
        session = draft.session
        follow = session.follow or {}
        since = float(follow.get("since", draft.at))
        days = round((draft.at - since) / self.day)
        self_care = follow.get("urgency", Urgency.SELF_CARE.value) == Urgency.SELF_CARE.value
        if self_care and days < followup.SELF_CARE_DAYS:
            session.checkin = checkins.due_at(since, followup.SELF_CARE_DAYS, day=self.day)
            when = checkins.when_text(session.checkin, draft.at, self.render, day=self.day)
            draft.say(self.render.text("checkin_same_early", when=when))
            return
        at_result = session.state == self.dialogue.result
        summary = self.render.summary(session, self.assessment(session) if at_result else None)
        draft.say(self.render.text("checkin_same_see", days=days), summary)

    def _retriage(self, draft: Draft, text: str | None) -> None:
        old = draft.session
        fresh = self.new_session()
        fresh.step, fresh.plan = old.step, old.plan
        fresh.state = self.dialogue.states[self.dialogue.initial].next[0].to  # the safety check
        draft.session = fresh
        draft.say(self.render.text("checkin_worse"))
        if text:
            self._answer(draft, Incoming(text=text, at=draft.at))
        else:
            self.prompt(draft)

    def _run_logged(self, draft: Draft, pains: tuple[int, int] | None) -> None:
        session = draft.session
        if self.assessment(session).exercises_withheld:
            draft.say(self.render.text("plan_withheld"))
            return
        rules = self.knowledge.running
        if session.plan is None:
            session.plan = running.new_plan()
            draft.say(self.render.text("plan_start", before=rules.before_you_start))
        if pains is None:
            draft.say(self._plan_step(session.plan), self.render.text("plan_no_run"))
            return
        session.plan, verdict = running.log_run(session.plan, rules, *pains)
        during, morning = pains
        draft.say(
            self.render.text(f"plan_{verdict.value}", during=during, morning=morning),
            self._plan_step(session.plan),
        )

    def _plan_step(self, plan: dict[str, Any]) -> str:
        steps = self.knowledge.running.steps
        number = min(int(plan.get("step", 0)), len(steps) - 1)
        return self.render.text(
            "plan_step", step=steps[number].name, number=number + 1, total=len(steps)
        )

    def log(self, draft: Draft) -> None:
        """``/log``: "3 during, 2 next morning" at once, or the two questions with buttons."""
        session = draft.session
        if self.assessment(session).exercises_withheld:
            draft.say(self.render.text("plan_withheld"))
            return
        words = draft.text.strip().split(maxsplit=1)
        logged = followup.read_log(words[1]) if len(words) > 1 else None
        if logged is not None:
            self._run_logged(draft, logged)
            return
        session.follow = {**(session.follow or {}), "stage": "during", "trend": "log"}
        session.unread = 0
        self._follow_prompt(draft)

    def progress(self, draft: Draft) -> None:
        """``/progress``: where the runner is in the plan, and a chart of the runs logged."""
        plan = draft.session.plan
        runs = plan.get("runs", []) if plan is not None else []
        if plan is None or not runs:
            draft.say(self.render.text("progress_none"))
            return
        draft.say(
            self.render.text("progress_title", runs=len(runs), streak=plan.get("streak", 0)),
            self._plan_step(plan),
        )
        draft.chart = True
