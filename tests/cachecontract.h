#pragma once

#include "cache/cache.h"

#include <QObject>

#include <memory>

// One cache backend as the contract suite drives it: a fresh, empty cache per test function,
// and a way to let time pass for its TTLs.
class CacheBackendFactory {
public:
    virtual ~CacheBackendFactory() = default;
    // Once per suite (a server to start); false with `error` set when it cannot be used.
    virtual bool setUp(QString *error) = 0;
    // An empty cache of this backend, usable (isAvailable()) once returned.
    virtual std::unique_ptr<pw::cache::Cache> create() = 0;
    // Lets `ms` pass for the cache's TTLs: moves an injected clock, or (a backend with its own
    // clock) nothing, and the suite waits for the expiry.
    virtual void advance(int ms) = 0;
    // The backendName() the cache gives.
    virtual QString name() const = 0;
};

// What every Cache backend does, written once and run against each backend (a suite class
// per backend derives from it and passes its factory): get and set, binary-safe values,
// overwrites, TTL expiry and the remaining TTL reported, removal, and one answer per lookup.
class CacheContract : public QObject {
    Q_OBJECT
public:
    explicit CacheContract(CacheBackendFactory *backend)
        : m_backend(backend) {}

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void namedAndAvailable();
    void missingKeyIsAMiss();
    void valuesRoundTrip_data();
    void valuesRoundTrip();
    void overwriteReplacesValueAndTtl();
    void remainingTtlWithinTheTtl();
    void expiresAfterTtl();
    void nonPositiveTtlLeavesNothingToServe_data();
    void nonPositiveTtlLeavesNothingToServe();
    void removeDropsOnlyTheGivenKeys();
    void removeOfNothingIsHarmless();
    void keysAreBinarySafeAndDistinct();
    void everyLookupAnsweredOnce();

private:
    // Looks `key` up and waits for the answer (the test fails if none comes).
    pw::cache::CacheLookup lookup(const QByteArray &key);

    CacheBackendFactory *m_backend;
    std::unique_ptr<pw::cache::Cache> m_cache;
};
