// Scenario files (issue #4).
