"""The same engine over a sharded index on a Dask cluster (`pip install -e '.[cluster]'`).

    routing.py   which shard holds an article (a stable hash of its id)
    manifest.py  DIR/cluster.json: shards, owners, counts, generation (written atomically)
    ingest.py    sharded ingest and delete: Dask workers analyse and write, one writer per shard
    shard.py     one shard read with corpus-wide statistics and names (no Dask here)
    host.py      ShardHost, the Dask actor of one worker: all its shards, one call per phase
    merge.py     the coordinator's side: shards' partial answers combined into one answer,
                 the corpus's judgement of people and merged vocabulary of names
    placement.py where shards are served: host actors re-created and rebalanced
    quotes.py    quotes, their export and a person's quotes over shards
    similar.py   similar articles: the corpus's key terms and ranking
    spelling.py  "did you mean" from the shards' summed frequencies
    backend.py   ClusterBackend, a SearchBackend: phases, deadlines, partial answers

Only ingest.py, placement.py and backend.py import Dask, and only when called, so
`search` stays importable without the cluster extra.
"""
