// The controller's northbound side: REST API and Prometheus metrics (issue #3).
