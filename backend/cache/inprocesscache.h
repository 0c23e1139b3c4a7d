#pragma once

#include "cache.h"

#include <QHash>

namespace pw::core { class Clock; }

namespace pw::cache {

// The default backend: a bounded hash in this process.
class InProcessCache : public Cache
{
    Q_OBJECT
public:
    explicit InProcessCache(core::Clock *clock, int maxEntries = 1024, QObject *parent = nullptr);

    void get(const QByteArray &key, GetCallback done) override;
    void set(const QByteArray &key, const QByteArray &value, int ttlMs) override;
    void remove(const QByteArrayList &keys) override;
    QString backendName() const override { return QStringLiteral("memory"); }
    bool isAvailable() const override { return true; }
    int size() const { return int(m_entries.size()); }

private:
    struct Entry
    {
        QByteArray value;
        qint64 expiresAtMs = 0;
    };
    void evict();

    core::Clock *m_clock;
    int m_maxEntries;
    QHash<QByteArray, Entry> m_entries;
};

} // namespace pw::cache
