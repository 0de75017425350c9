"""The form core: schema, rules, consistency checks, criteria and targets. No Django here."""
