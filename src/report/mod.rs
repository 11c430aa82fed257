//! Reports: pure data built from a solution, and renderers. OWNER: report helper.
