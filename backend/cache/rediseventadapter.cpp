#include "rediseventadapter.h"

#include <QSocketNotifier>

#include <hiredis/async.h>

namespace pw::cache {

RedisEventAdapter::RedisEventAdapter(redisAsyncContext *context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
    m_context->ev.data = this;
    m_context->ev.addRead = &RedisEventAdapter::addRead;
    m_context->ev.delRead = &RedisEventAdapter::delRead;
    m_context->ev.addWrite = &RedisEventAdapter::addWrite;
    m_context->ev.delWrite = &RedisEventAdapter::delWrite;
    m_context->ev.cleanup = &RedisEventAdapter::cleanup;
}

RedisEventAdapter::~RedisEventAdapter()
{
    detach();
}

void RedisEventAdapter::detach()
{
    delete m_read;
    m_read = nullptr;
    delete m_write;
    m_write = nullptr;
    if (m_context) {
        m_context->ev.data = nullptr;
        m_context->ev.addRead = nullptr;
        m_context->ev.delRead = nullptr;
        m_context->ev.addWrite = nullptr;
        m_context->ev.delWrite = nullptr;
        m_context->ev.cleanup = nullptr;
        m_context = nullptr;
    }
}

void RedisEventAdapter::addRead(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    if (a->m_read) {
        a->m_read->setEnabled(true);
        return;
    }
    a->m_read = new QSocketNotifier(a->m_context->c.fd, QSocketNotifier::Read, a);
    connect(a->m_read, &QSocketNotifier::activated, a, &RedisEventAdapter::onReadable);
}

void RedisEventAdapter::delRead(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    if (a->m_read)
        a->m_read->setEnabled(false);
}

void RedisEventAdapter::addWrite(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    if (a->m_write) {
        a->m_write->setEnabled(true);
        return;
    }
    a->m_write = new QSocketNotifier(a->m_context->c.fd, QSocketNotifier::Write, a);
    connect(a->m_write, &QSocketNotifier::activated, a, &RedisEventAdapter::onWritable);
}

void RedisEventAdapter::delWrite(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    if (a->m_write)
        a->m_write->setEnabled(false);
}

void RedisEventAdapter::cleanup(void *self)
{
    // hiredis frees the context after this call: nothing of it may be touched from now on
    // (detach() in the destructor would write into freed memory).
    auto *a = static_cast<RedisEventAdapter *>(self);
    a->m_context = nullptr;
    if (a->m_read)
        a->m_read->setEnabled(false);
    if (a->m_write)
        a->m_write->setEnabled(false);
}

void RedisEventAdapter::onReadable()
{
    if (m_context)
        redisAsyncHandleRead(m_context);
}

void RedisEventAdapter::onWritable()
{
    if (m_context)
        redisAsyncHandleWrite(m_context);
}

} // namespace pw::cache
