#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QObject>
#include <QString>

#include <functional>

namespace pw::cache {

// What a cache lookup found.
struct CacheLookup
{
    enum class Outcome { Hit, Miss, Error };
    Outcome outcome = Outcome::Miss;
    QByteArray value;
    QString error;
    qint64 remainingTtlMs = -1; // for a hit: how long the value has left, when known
};

// A key-value store with expiry, asynchronous so a remote backend never blocks the event
// loop. Values are finished response bytes.
class Cache : public QObject
{
    Q_OBJECT
public:
    using GetCallback = std::function<void(const CacheLookup &)>;

    explicit Cache(QObject *parent = nullptr) : QObject(parent) {}

    // Calls `done` exactly once, possibly before get() returns.
    virtual void get(const QByteArray &key, GetCallback done) = 0;
    virtual void set(const QByteArray &key, const QByteArray &value, int ttlMs) = 0;
    virtual void remove(const QByteArrayList &keys) = 0;
    // "memory" or "redis", for /metrics and the UI.
    virtual QString backendName() const = 0;
    // False while the backend cannot be used (Redis down or not answering).
    virtual bool isAvailable() const = 0;

Q_SIGNALS:
    void availabilityChanged(bool available);
};

} // namespace pw::cache
