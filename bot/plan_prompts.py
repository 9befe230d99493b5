"""The one-year plan's starter queue: 26 prompts for a community of practice, one every two
weeks, taking turns to discuss, reflect, unpack research and share."""

from __future__ import annotations

STARTER_PROMPTS: tuple[tuple[str, str], ...] = (
    (
        "discuss",
        "What is one problem in your work this month that you have not cracked yet? "
        "Describe it in two or three sentences so others can ask questions.",
    ),
    (
        "reflect",
        "Think of a recent moment when something you tried did not go as planned. "
        "What did you expect, what happened instead, and what would you do differently?",
    ),
    (
        "research",
        "Pick one study, report or article that shaped how you work. What was its main finding, "
        "and does it match what you see in practice?",
    ),
    (
        "share",
        "Share one tool, template or checklist you use every week, and say what problem it "
        "solves for you.",
    ),
    (
        "discuss",
        "If a newcomer joined your team tomorrow, what is the one piece of advice you would "
        "give them that is not written down anywhere?",
    ),
    (
        "reflect",
        "What is one habit in your practice that you have changed in the last year? "
        "What made you change it, and what difference has it made?",
    ),
    (
        "research",
        "What question about your field would you most like to see researched? "
        "Who might already be looking into it?",
    ),
    (
        "share",
        "Share a talk, podcast or video that taught you something useful, with one sentence on "
        "why it is worth the time.",
    ),
    (
        "discuss",
        "Where do you see the biggest gap between how things are supposed to work in your field "
        "and how they really work?",
    ),
    (
        "reflect",
        "Describe a piece of feedback that changed how you work. Who gave it, and why did it land?",
    ),
    (
        "research",
        "Have you ever measured whether a change you made worked? Tell us what you measured, "
        "how, and what you would measure next time.",
    ),
    (
        "share",
        "Share an example of your own work (a document, a plan, a design) that you are proud "
        "of, and what you would still improve.",
    ),
    (
        "discuss",
        "What is a common practice in our field that you think is overrated, and what would you "
        "do instead?",
    ),
    (
        "reflect",
        "Halfway through the year: what have you taken from this community into your work? "
        "Name one conversation or idea.",
    ),
    (
        "research",
        "Find a finding from a neighbouring field that could apply to ours. How would you test "
        "it in your own setting?",
    ),
    (
        "share",
        "Share a mistake others can learn from: what happened, what it cost, and what you put "
        "in place afterwards.",
    ),
    (
        "discuss",
        "Which decision in your work do you find hardest to make well? How do you make it today, "
        "and what would help?",
    ),
    (
        "reflect",
        "Who in this community has helped you this year, and how? Tag them if you like, and say "
        "what it changed.",
    ),
    (
        "research",
        "What evidence would convince your organisation to change how it works? "
        "Share an example where evidence did, or did not, make a difference.",
    ),
    (
        "share",
        "Share one newsletter, blog or community outside this one that keeps you up to date, "
        "and what you read it for.",
    ),
    (
        "discuss",
        "How do you handle disagreement about the right way to do something in your team? "
        "Share what works and what does not.",
    ),
    (
        "reflect",
        "Look back at a project you finished this year. What would you keep doing, stop doing "
        "and start doing next time?",
    ),
    (
        "research",
        "Which numbers or signals do you watch to know your work is going well? "
        "Which ones have misled you?",
    ),
    (
        "share",
        "Share a question you were afraid to ask when you started out, and the answer you wish "
        "someone had given you.",
    ),
    (
        "discuss",
        "What should this community focus on next year? Suggest one topic, one format or one "
        "person you would like to hear from.",
    ),
    (
        "reflect",
        "As the year closes: what is one way your practice is different from a year ago, and "
        "what helped that change happen?",
    ),
)
