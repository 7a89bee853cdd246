"""The dialogue engine: ``step(session, incoming) -> Turn``, pure and synchronous.

One ``transitions.Machine`` is built per dialogue when the engine is created and shared by every
conversation: each turn wraps the session in a light :class:`Conversation` and fires one event
of the machine for it. No I/O happens here.
"""

from __future__ import annotations

from collections.abc import Callable, KeysView
from dataclasses import dataclass, field, replace

from transitions import EventData, Machine

from bot.dialogue import checkins
from bot.dialogue.answering import (
    NOT_SURE_VALUE,
    Outcome,
    note_heard,
)
from bot.dialogue.commands import (
    COMMANDS,
    EXERCISE_PREFIX,
    LIBRARY,
    RESULT_ACTIONS,
    TOPIC_PREFIX,
    command_name,
)
from bot.dialogue.conditions import CONDITIONS
from bot.dialogue.conversation import Conversation
from bot.dialogue.follow_up_turns import FollowUpTurns
from bot.dialogue.kinds import KINDS, Reading
from bot.dialogue.markup import Markup
from bot.dialogue.messages import Incoming, Option, Reply
from bot.dialogue.render import Renderer
from bot.dialogue.session import Session, Undo
from bot.dialogue.spec import DialogueSpec, Kind, StateSpec
from bot.knowledge import Knowledge, Urgency
from bot.reasoning import Assessment, QuestionPlanner, Triage, assess
from bot.understanding import Lexicon, Understanding, understand
from bot.understanding.answers import read_choice


@dataclass(frozen=True, slots=True)
class Turn:
    """The engine's answer to one incoming message."""

    session: Session
    replies: tuple[Reply, ...]
    forget: bool = False
    assessment: Assessment | None = None
    chart: bool = False
    """Show the return-to-running chart (``/progress``) after the replies."""
    session_json: str | None = field(default=None, compare=False, repr=False)
    """``session.to_json()`` as the turn left it (encoded once to fit the size budget), so
    that saving the turn does not encode the session again."""

    @property
    def stored(self) -> str:
        """The session as stored: :attr:`session_json`, or encoded now for a turn made without."""
        return self.session_json if self.session_json is not None else self.session.to_json()

    @property
    def options(self) -> tuple[Option, ...]:
        """The buttons of the last reply."""
        return self.replies[-1].options if self.replies else ()


@dataclass
class Draft:
    session: Session
    at: float = 0.0
    replies: list[Reply] = field(default_factory=list)
    forget: bool = False
    text: str = ""
    chart: bool = False

    def say(self, *texts: str | Reply, options: tuple[Option, ...] = ()) -> None:
        replies = [
            text if isinstance(text, Reply) else Reply(text, formatted=isinstance(text, Markup))
            for text in texts
        ]
        if replies:
            replies[-1] = replace(replies[-1], options=options)
        self.replies += replies


class Engine(FollowUpTurns):
    """Runs one dialogue over one knowledge base for any number of conversations."""

    def __init__(self, knowledge: Knowledge, dialogue: DialogueSpec) -> None:
        self.knowledge = knowledge
        self.dialogue = dialogue
        self.lexicon = Lexicon(knowledge.findings.values(), idioms=knowledge.idioms)
        skip = {f for state in dialogue.states.values() for f in state.findings}
        skip |= {f for s in dialogue.states.values() for o in s.options for f in o.sets}
        self.triage = Triage(knowledge)
        self.planner = QuestionPlanner(
            knowledge,
            self.triage,
            skip=skip,
            first=dialogue.ask_early,
            when_present=dialogue.ask_when_present,
        )
        self.render = Renderer(knowledge, dialogue.texts)
        self._last_assessment: tuple[tuple[tuple[str, bool | None], ...], Assessment] | None = None
        """The last assessment and the answers it was for: a turn at the result asks for it
        several times (the result, its buttons, the check-in offer, the turn itself)."""
        self.machine = Machine(
            model=None,
            states=list(dialogue.states),
            initial=dialogue.initial,
            auto_transitions=False,
            send_event=True,
        )
        for source, state in dialogue.states.items():
            for transition in state.next:
                self.machine.add_transition(
                    "advance",
                    source,
                    transition.to,
                    conditions=[self._condition(name) for name in transition.when],
                    unless=[self._condition(name) for name in transition.unless],
                )
        self.machine.add_transition("escalate", "*", dialogue.result)
        self.machine.add_transition("follow_up", "*", dialogue.follow_up)
        self.machine.add_transition("restart", "*", dialogue.initial)
        self.day: float = checkins.DAY
        """Seconds in a day for check-ins (process tests scale it down)."""

    @staticmethod
    def _condition(name: str) -> Callable[[EventData], bool]:
        check = CONDITIONS[name]

        def evaluate(event: EventData) -> bool:
            model = event.model
            assert isinstance(model, Conversation)
            return check(model)

        evaluate.__name__ = name
        return evaluate

    # -- public API ---------------------------------------------------------------------------

    def new_session(self, *, at: float = 0.0) -> Session:
        """A fresh conversation at the initial state."""
        return Session(state=self.dialogue.initial, updated_at=at)

    def step(self, session: Session | None, incoming: Incoming) -> Turn:
        """Apply one incoming message to a conversation; never raises for any input."""
        if session is not None and not self._usable(session):
            session = None  # stored by an older dialogue or knowledge whose ids are gone
        draft = Draft(session.copy() if session is not None else self.new_session(at=incoming.at))
        draft.at, draft.text = incoming.at, incoming.text or ""
        if session is None and command_name(incoming) != "start":
            self.prompt(draft)
            draft.session.step += 1
            draft.session.updated_at = incoming.at
            if not (incoming.text or incoming.button):
                return self._finish(draft)
        self._handle(draft, incoming)
        draft.session.step += 1
        draft.session.updated_at = incoming.at
        return self._finish(draft)

    def _usable(self, session: Session) -> bool:
        """Whether a stored session can go on: every state and finding it names still exists,
        and a yes/no question is there to ask."""
        states, findings = self.dialogue.states, self.knowledge.findings
        known = findings.keys()
        records: list[tuple[str, str | None, KeysView[str]]]
        records = [(session.state, session.question, session.answers.keys())]
        records += [(undo.state, undo.question, undo.answers.keys()) for undo in session.history]
        return all(
            state in states
            and (question is None or question in findings)
            and answered <= known
            and (question is not None or states[state].kind is not Kind.YES_NO)
            for state, question, answered in records
        ) and all(f in findings for f in session.asked)

    def start(self, *, at: float = 0.0) -> Turn:
        """The opening turn of a new conversation (the greeting)."""
        return self.step(None, Incoming(text="/start", at=at))

    def assessment(self, session: Session) -> Assessment:
        """The current assessment of a conversation's answers."""
        key = tuple(session.answers.items())
        last = self._last_assessment
        if last is not None and last[0] == key:
            return last[1]  # immutable, and a function of the answers alone
        assessment = assess(self.knowledge, session.answers, self.triage)
        self._last_assessment = (key, assessment)
        return assessment

    def asks(self, session: Session) -> list[str]:
        """Finding ids the current question asks about (``"age"`` for the age question)."""
        state = self.dialogue.states[session.state]
        if session.paused:
            return []
        return KINDS[state.kind].asks(self, session, state)

    # -- turn handling ------------------------------------------------------------------------

    def _finish(self, draft: Draft) -> Turn:
        session_json = draft.session.fit()
        at_result = draft.session.state == self.dialogue.result
        return Turn(
            session=draft.session,
            replies=tuple(draft.replies),
            forget=draft.forget,
            assessment=self.assessment(draft.session) if at_result else None,
            chart=draft.chart,
            session_json=session_json,
        )

    def _handle(self, draft: Draft, incoming: Incoming) -> None:
        session = draft.session
        command = command_name(incoming)
        if command is not None:
            self._run_command(draft, command)
            return
        if incoming.button is not None and self._library(draft, incoming.button):
            return  # menu buttons stay valid while the conversation moves on
        if incoming.step is not None and incoming.step != session.step:
            draft.say(self.render.text("moved_on"))
            self.prompt(draft)
            return
        if session.follow is not None and "stage" in session.follow:
            self._follow_up(draft, incoming)
            return
        idle_seconds = self.dialogue.idle_minutes * 60
        in_progress = session.state not in (self.dialogue.initial, self.dialogue.result)
        away = incoming.at - session.updated_at
        idle = in_progress and bool(session.updated_at) and away > idle_seconds
        if session.paused or idle:
            heard = (
                understand(incoming.text, self.lexicon, for_someone=session.for_someone)
                if incoming.text
                else Understanding()
            )
            if not self._raises_red_flag(session, heard):
                self._welcome_back(draft, incoming, heard)
                return
        session.paused = False  # a red flag typed after a break does not wait
        if incoming.button is not None and incoming.button.startswith(checkins.PREFIX):
            self._checkin_button(draft, incoming)
            return
        if session.state == self.dialogue.result and incoming.button in RESULT_ACTIONS:
            self._run_command(draft, incoming.button)
            return
        offer = self._typed_offer(session, incoming)
        if offer is not None:
            self._checkin_button(draft, replace(incoming, text=None, button=offer))
            return
        self._answer(draft, incoming)

    def _note(self, draft: Draft, record: Undo, heard: Understanding) -> bool:
        """Record what a message said (:func:`note_heard`), saying once when the runner turns out
        to be someone the writer writes for."""
        if heard.for_someone and not draft.session.for_someone:
            draft.say(self.render.text("for_someone"))
        return note_heard(draft.session, record, heard)

    def _welcome_back(self, draft: Draft, incoming: Incoming, heard: Understanding) -> None:
        """After a break: keep what the message says, then ask "continue or start again?"."""
        session = draft.session
        record = session.remember()
        if self._note(draft, record, heard):
            draft.say(self.render.text("answer_noted"))
        else:
            session.forget_if_unchanged(record)
        if session.paused:
            self._resume(draft, incoming)
        else:
            session.paused = True
            self.prompt(draft)

    def _raises_red_flag(self, session: Session, heard: Understanding) -> bool:
        """Whether a message brings an urgent or emergency red flag the answers do not have."""
        answers: dict[str, bool | None] = dict(session.answers)
        answers.update(dict.fromkeys(heard.present, True))
        answers.update(dict.fromkeys(heard.absent, False))
        return self.triage.raises(session.answers, answers)

    def _library(self, draft: Draft, value: str) -> bool:
        """Buttons of the ``/learn`` menu: advice topics and the exercise library."""
        knowledge, render = self.knowledge, self.render
        if value.startswith(TOPIC_PREFIX) and value[len(TOPIC_PREFIX) :] in knowledge.topics:
            draft.say(render.topic(knowledge.topics[value[len(TOPIC_PREFIX) :]]))
        elif value == LIBRARY:
            if self.assessment(draft.session).exercises_withheld:
                draft.say(render.text("exercises_withheld"))
            else:
                options = tuple(
                    Option(e.button_label, f"{EXERCISE_PREFIX}{e.id}")
                    for e in knowledge.exercises.values()
                )
                draft.say(render.text("library_intro"), options=options)
                return True
        elif (
            value.startswith(EXERCISE_PREFIX)
            and value[len(EXERCISE_PREFIX) :] in knowledge.exercises
        ):
            draft.say(
                render.library_exercise(
                    self.assessment(draft.session), value[len(EXERCISE_PREFIX) :]
                )
            )
        else:
            return False
        self.prompt(draft)
        return True

    def _resume(self, draft: Draft, incoming: Incoming) -> None:
        session = draft.session
        labels = [self.render.text("continue"), self.render.text("start_again")]
        choice = incoming.button or ""
        if not choice and incoming.text:
            index = read_choice(incoming.text, labels)
            choice = ("continue", "restart")[index] if index is not None else "continue"
        session.paused = False
        if choice == "restart":
            self._run_command(draft, "restart")
        else:
            self.prompt(draft)

    def _run_command(self, draft: Draft, command: str) -> None:
        draft.session.paused = False
        COMMANDS.get(command, COMMANDS["help"]).run(self, draft)

    def why(self, draft: Draft) -> None:
        """``/why``: why this question, or why this result."""
        session = draft.session
        state = self.dialogue.states[session.state]
        if session.state == self.dialogue.result:
            text = self.render.why_result(self.assessment(session))
        elif state.kind is Kind.YES_NO and session.question:
            text = self._why_question(session, session.question)
        else:
            text = self.render.text(state.why)
        draft.say(text)
        self.prompt(draft)

    def _why_question(self, session: Session, finding: str) -> Markup:
        safety = self.triage.safety_reason(session.answers, finding)
        if safety is not None:
            return self.render.text("why_safety", flag=safety.title)
        ranked = self.assessment(session).causes[:4]
        related = [r.cause.name for r in ranked if finding in r.cause.supported_by]
        related += [r.cause.name for r in ranked if finding in r.cause.argued_against_by]
        names = " and ".join(related[:2]) if related else ranked[0].cause.name
        return self.render.text("why_question", causes=names)

    # -- answers ------------------------------------------------------------------------------

    def _answer(self, draft: Draft, incoming: Incoming) -> None:
        session = draft.session
        state = self.dialogue.states[session.state]
        conversation = Conversation(session, self.planner, self.dialogue.max_questions)
        if incoming.button is not None and incoming.button not in {
            o.value for o in self.options(session)
        }:
            draft.say(self.render.text("moved_on"))
            self.prompt(draft)
            return
        record = session.remember()
        heard = (
            understand(incoming.text, self.lexicon, for_someone=session.for_someone)
            if incoming.text
            else Understanding()
        )
        noted = self._note(draft, record, heard)
        outcome = self._interpret(state, conversation, record, incoming, heard)
        if outcome is Outcome.UNREAD and noted:
            outcome = Outcome.PROGRESS
        if outcome is Outcome.UNREAD:
            session.forget_if_unchanged(record)
        conversation.forget_next_question()

        if session.state == self.dialogue.result:
            self._at_result(draft, conversation, outcome, changed=noted)
            return
        if outcome is Outcome.UNREAD:
            self._unreadable(draft, conversation, record)
            return
        if self._escalation_due(state, session, outcome):
            question = self._emergency_question(session)
            if question is not None:
                self._fire(conversation, "follow_up")
                session.question = question
                session.asked.append(question)
                self.prompt(draft)
            else:
                self._fire(conversation, "escalate")
                self._show_result(draft)
            return
        session.unread = 0
        if outcome is Outcome.PROGRESS:
            draft.say(self.render.text("answer_noted"))
            self.prompt(draft)
            return
        self._fire(conversation, "advance")
        self._enter(draft, conversation, came_from=state)

    def _escalation_due(self, state: StateSpec, session: Session, outcome: Outcome) -> bool:
        """Whether the triage says the runner must act now (an emergency at once; an urgent
        result once a checklist in progress is finished)."""
        decision = self.triage.decide(session.answers)
        if decision.urgency is Urgency.EMERGENCY:
            return True
        if not decision.ends_interview:
            return False
        return not (state.kind is Kind.CHECKLIST and outcome is Outcome.PROGRESS)

    def _emergency_question(self, session: Session) -> str | None:
        """A question that could turn an urgent result into an emergency, if still open."""
        return self.planner.next_question(session.answers, budget_left=False)

    def _interpret(
        self,
        state: StateSpec,
        conversation: Conversation,
        record: Undo,
        incoming: Incoming,
        heard: Understanding,
    ) -> Outcome:
        session = conversation.session
        text = incoming.text or ""
        value = incoming.button
        options = self.options(session)
        if value is None and text:
            index = read_choice(text, [self.render.wording(o) for o in options])
            value = options[index].value if index is not None else None
        forced = session.unread >= self.dialogue.unreadable_limit
        if value == NOT_SURE_VALUE and state.kind is not Kind.YES_NO:
            return Outcome.DONE
        reading = Reading(self, state, conversation, record, value, text, heard, forced)
        return KINDS[state.kind].read(reading)

    def _unreadable(self, draft: Draft, conversation: Conversation, record: Undo) -> None:
        session = draft.session
        session.unread += 1
        if session.unread >= self.dialogue.unreadable_limit:
            draft.say(self.render.text("still_not_understood"))
        else:
            draft.say(self.render.text("not_understood"))
        self.prompt(draft)

    def _at_result(
        self, draft: Draft, conversation: Conversation, outcome: Outcome, *, changed: bool
    ) -> None:
        if changed:
            draft.say(self.render.text("result_updated"))
            self._show_result(draft)
            return
        draft.say(self.render.text("result_ready"), options=self.options(draft.session))

    # -- entering states and prompting ---------------------------------------------------------

    def _fire(self, conversation: Conversation, event: str) -> None:
        # The conversation is driven without being attached to the machine as a model:
        # add_model gives a model convenience methods for every state, which took longer than
        # the rest of the turn.
        self.machine.events[event].trigger(conversation)

    def _enter(self, draft: Draft, conversation: Conversation, *, came_from: StateSpec) -> None:
        session = draft.session
        state = self.dialogue.states[session.state]
        if state.kind is Kind.YES_NO and came_from.kind is not Kind.PICK_ANSWER:
            question = conversation.next_question()
            session.question = question
            if question is not None:
                session.asked.append(question)
        elif state.kind is not Kind.YES_NO:
            session.question = None
        if session.state == self.dialogue.result:
            self._show_result(draft)
        else:
            self.prompt(draft)

    def _show_result(self, draft: Draft) -> None:
        session = draft.session
        session.question = None
        offer = self.render.text("checkin_offer") if self.offers_checkin(session) else None
        messages = self.render.result(self.assessment(session), closing=offer)
        draft.say(*messages, options=self.options(session))

    # -- check-ins (the rest is in bot/dialogue/follow_up_turns.py) --------------------------

    def check_in(self, session: Session, *, at: float) -> Turn:
        """The check-in that fell due for ``session``: "How is the hip compared with last
        time?"; no replies if none is planned."""
        draft = Draft(session.copy(), at=at)
        if session.checkin is None or not self._usable(session):
            return Turn(session, ())
        follow = draft.session.follow or {"since": at}
        draft.session.checkin, draft.session.paused, draft.session.unread = None, False, 0
        draft.session.follow = {**follow, "stage": "compare"}
        draft.say(self.render.text("checkin_hello"))
        self._follow_prompt(draft)
        draft.session.step += 1
        draft.session.updated_at = at
        return self._finish(draft)

    def options(self, session: Session) -> tuple[Option, ...]:
        """The buttons under the current prompt."""
        state = self.dialogue.states[session.state]
        if session.paused:
            return (
                Option(self.render.label("continue"), "continue"),
                Option(self.render.label("start_again"), "restart"),
            )
        return KINDS[state.kind].options(self, session, state)

    def prompt(self, draft: Draft) -> None:
        session = draft.session
        if session.follow is not None and "stage" in session.follow:
            self._follow_prompt(draft)
            return
        if session.paused:
            draft.say(self.render.text("idle"), options=self.options(session))
            return
        state = self.dialogue.states[session.state]
        values: dict[str, object] = {"question": "", "hint": ""}
        if session.question is not None:
            finding = self.knowledge.findings[session.question]
            values = {"question": finding.question, "hint": finding.hint or ""}
        if any("{answers}" in self.dialogue.texts[text_id] for text_id in state.say):
            values["answers"] = self.render.answers(session)
        if state.kind is Kind.CHECKLIST:
            values["items"] = self.render.checklist(
                [f for f in state.findings if f not in session.answers]
            )
        texts = [self.render.text(text_id, **values) for text_id in state.say]
        draft.say(*texts, options=self.options(session))
