"""Monthly budget, spending entries, savings goals and money basics.

Decisions, in one place:
- Money is an int of minor units (BigInteger) plus an ISO 4217 code; the exponent comes from
  Babel (JPY 0, EUR 2, BHD 3). Parsing and formatting live in money.py; no float anywhere.
  One amount is capped at money.MAX_MINOR (10^11 minor units; see money.py for why).
- The currency is the person's own (BudgetSettings, default app.config["DEFAULT_CURRENCY"]).
  Every entry, plan line and savings goal keeps the currency it was made in; after a switch the
  summary counts only the current currency and says how many entries it left out. Nothing is
  converted (we have no exchange rates, and guessing one would be dishonest).
- Entries store a local calendar DATE, chosen on the phone and defaulting to today in the
  person's time zone, so a month is the person's own month whatever UTC says.
- The monthly plan is a standing plan per category (the same every month until changed);
  "left to spend" is the plan minus this month's spending.
- Money put aside for bills that do not come every month is a savings goal of kind "bills"
  with a due date; the page suggests how much to put aside each month (rounded up).
- Private by default. A survivor may share the monthly summary (totals by category, never an
  entry or a note) with their case worker. The switch on /budget/settings IS the privacy consent
  area "budget_summary" (the same choice as on /privacy/sharing; see preferences.py), and
  each staff view is written to the person's access log (/privacy/access).
"""
