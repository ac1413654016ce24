SELECT count(*) FROM eventstore.load('long-1', state_schema_version => 2, max_count => 1000000);
