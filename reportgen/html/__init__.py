"""Web stage: each laid-out report, the meeting and the governance dashboard as accessible HTML pages."""
