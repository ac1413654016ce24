SELECT count(*) FROM eventstore.load('long-1');
