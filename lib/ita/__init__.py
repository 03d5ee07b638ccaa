"""ITA framework: catalog helpers, score files, gap analysis and link suggestions (pure, no database)."""
