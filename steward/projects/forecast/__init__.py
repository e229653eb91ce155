"""The Monte Carlo deadline forecaster: a pure NumPy engine, what-if changes, inputs from the database, backtest."""
