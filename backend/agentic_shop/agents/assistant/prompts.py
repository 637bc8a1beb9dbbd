"""The assistant's fixed texts (its routing prompt lives in router.py with the schema it fills)."""

HELP = (
    "I can search the catalog (“running shoes under $120”), find products whose reviewers praise a "
    "feature (“headphones with great noise cancellation”), answer questions about the product you are "
    "looking at (“is this available in black?”, “show critical reviews about durability”), and remember "
    "what you tell me (“I prefer blue”, “always show me if red is in stock”). Ask “what do you know about "
    "me?” to see what I remember."
)
NO_PRODUCT = (
    "Which product do you mean? Open a product page and ask me there, or tell me what you are looking for."
)
NOTHING_TO_REMEMBER = (
    "I did not find a preference to remember in that. "
    "Try, for example, “I prefer blue” or “My budget is $200”."
)
PRIVATE_NOT_REMEMBERED = (
    "Private mode is on, so I did not remember that: nothing you say now is stored. "
    "Turn private mode off to have me remember what you like."
)
PRIVATE_NOT_READ = (
    "Private mode is on, so I am not using anything I remember about you. "
    "Turn it off to see and use your memories again (they are all still on your memory page)."
)
NO_EARLIER_CONVERSATION = (
    "I have no earlier conversation with you to go back to: each conversation is summarized when it "
    "ends (“New conversation”, or a while without messages), and the summaries are under My memories."
)
