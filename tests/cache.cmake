pullwatch_add_test(tst_responsecache SOURCES tst_responsecache.cpp LINKS pullwatch_cache)
pullwatch_add_test(tst_rediscache SOURCES tst_rediscache.cpp LINKS pullwatch_cache)
# docs/architecture.md §5: what every cache backend does, one suite run against each of them.
pullwatch_add_test(tst_cachecontract SOURCES tst_cachecontract.cpp cachecontract.cpp cachecontract.h
                   LINKS pullwatch_cache)
