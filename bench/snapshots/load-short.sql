SELECT count(*) FROM eventstore.load('short-1');
