"""Population forecasts: inputs (hand-given or derived from the register), scenarios, outputs."""
