"""Security tests: tenant isolation, hostile input, fuzzing against the contract, secrets in logs."""
