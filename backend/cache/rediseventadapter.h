#pragma once

#include <QObject>

class QSocketNotifier;
struct redisAsyncContext;

namespace pw::cache {

// Drives one hiredis asynchronous context from the Qt event loop: hiredis asks for read and
// write readiness through its ev hooks; socket notifiers answer. (hiredis ships a Qt adapter,
// but it relies on string-based connections and `slots`, which this project's flags forbid.)
class RedisEventAdapter : public QObject
{
    Q_OBJECT
public:
    explicit RedisEventAdapter(redisAsyncContext *context, QObject *parent = nullptr);
    ~RedisEventAdapter() override;

    // hiredis has freed the context (or is about to): stop touching it.
    void detach();

private:
    static void addRead(void *self);
    static void delRead(void *self);
    static void addWrite(void *self);
    static void delWrite(void *self);
    static void cleanup(void *self);
    void onReadable();
    void onWritable();

    redisAsyncContext *m_context;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
};

} // namespace pw::cache
