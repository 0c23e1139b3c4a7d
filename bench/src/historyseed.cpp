// pwbench-historyseed: fills a history store with finished pulls before Pullwatch starts on
// it, so the history curves need no 100,000 Jobs, then times what one more finished pull
// costs the store at that size through the product's own class (record, then flush or a
// Redis round trip).
//   --store sqlite --path FILE | --store redis --redis redis://127.0.0.1:PORT
//   --count N [--limit L (default N)] [--record 200]
// SQLite: the rows are written in one transaction in the table SqliteHistory creates (the
// class writes one transaction per pull, which is what the record figure measures). Redis:
// every pull goes through RedisHistory::record, in batches that the client's queue holds.
// Prints seeded=, record_us= (per pull, at that size) and failed= (how many are failures).
#include "benchutil.h"

#include "cache/redisclient.h"
#include "cache/redishistory.h"
#include "core/pulljob.h"
#include "pulls/sqlitehistory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <cstdio>

using namespace pw::cache;
using namespace pw::core;
using namespace pw::pulls;

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);

// Pull i: one in four failed; about 40 distinct images; finished one second after pull i-1.
PullJob seedJob(int i)
{
    PullJob j;
    j.id = QStringLiteral("seed-%1").arg(i, 7, 10, QLatin1Char('0'));
    j.imageName = QStringLiteral("bench/app-%1").arg(i % 40);
    j.tag = QStringLiteral("1.%1").arg(i);
    j.source = QStringLiteral("docker.io/%1:%2").arg(j.imageName, j.tag);
    j.target = QStringLiteral("harbor.local/mirror/%1:%2").arg(j.imageName, j.tag);
    j.namespaceName = QStringLiteral("default");
    j.podName = j.id + QStringLiteral("-x7k2p");
    j.node = QStringLiteral("node-%1").arg(i % 3);
    j.createdAt = kStart.addSecs(i);
    j.updatedAt = j.finishedAt = kStart.addSecs(i).addMSecs(900);
    if (i % 4 == 3) {
        j.status = PullStatus::Failed;
        j.stage = PullStage::Failed;
        j.progress = 30;
        j.reason = FailureReason::ImageNotFound;
        j.message = QStringLiteral("manifest for %1 not found").arg(j.source);
    } else {
        j.status = PullStatus::Completed;
        j.stage = PullStage::Completed;
        j.progress = 100;
        j.message = QStringLiteral("Image copied to Harbor");
    }
    return j;
}

bool seedSqlite(const QString &path, int from, int to, int limit, QString *error)
{
    { // The schema, as the product creates it.
        SqliteHistory schema(path, limit);
        QEventLoop loop;
        schema.load([&](const QList<PullJob> &, const QString &why) {
            *error = why;
            loop.quit();
        });
        loop.exec();
        if (!error->isEmpty())
            return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("seed"));
    db.setDatabaseName(path);
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO pulls (id, finished_at, body) VALUES (?, ?, ?)"));
    for (int i = from; i < to; ++i) {
        const PullJob job = seedJob(i);
        q.addBindValue(job.id);
        q.addBindValue(job.finishedAt.toMSecsSinceEpoch());
        q.addBindValue(QJsonDocument(job.toDetailJson()).toJson(QJsonDocument::Compact));
        if (!q.exec()) {
            *error = q.lastError().text();
            return false;
        }
    }
    db.commit();
    return true;
}

// Every command sent so far has been answered (the connection answers in order).
bool roundTrip(RedisClient &client)
{
    QEventLoop loop;
    bool ok = false;
    client.command({QByteArrayLiteral("PING")}, [&](const RedisReply &r) {
        ok = r.type == RedisReply::Type::Status;
        loop.quit();
    });
    loop.exec();
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString store = BenchUtil::option(args, "store");
    const int count = BenchUtil::option(args, "count", QStringLiteral("1000")).toInt();
    const int limit = BenchUtil::option(args, "limit", QString::number(count)).toInt();
    const int sample = std::min(count, BenchUtil::option(args, "record", QStringLiteral("200")).toInt());
    if (count < 1 || limit < 1 || sample < 1 || (store != u"sqlite" && store != u"redis")) {
        std::fprintf(stderr, "usage: pwbench-historyseed --store sqlite|redis --path FILE | "
                             "--redis URL --count N [--limit L] [--record S]\n");
        return 2;
    }
    QElapsedTimer timer;
    if (store == u"sqlite") {
        const QString path = BenchUtil::option(args, "path");
        QString error;
        if (!seedSqlite(path, 0, count - sample, limit, &error)) {
            std::fprintf(stderr, "seed failed: %s\n", qPrintable(error));
            return 1;
        }
        SqliteHistory history(path, limit);
        timer.start();
        for (int i = count - sample; i < count; ++i)
            history.record(seedJob(i));
        history.flush();
    } else {
        const auto endpoint = RedisEndpoint::parse(BenchUtil::option(args, "redis"));
        if (!endpoint.ok()) {
            std::fprintf(stderr, "--redis: %s\n", qPrintable(endpoint.error()));
            return 2;
        }
        RedisClient::Timing timing;
        timing.commandTimeoutMs = 60000;
        timing.maxPending = 100000;
        RedisClient client(endpoint.value(), timing);
        client.connectToServer();
        QEventLoop connected;
        QObject::connect(&client, &RedisClient::stateChanged, &connected, [&] {
            if (client.isUsable())
                connected.quit();
        });
        QTimer::singleShot(10000, &connected, &QEventLoop::quit);
        if (!client.isUsable())
            connected.exec();
        if (!client.isUsable()) {
            std::fprintf(stderr, "redis: not connected\n");
            return 1;
        }
        RedisHistory history(&client, limit);
        for (int i = 0; i < count - sample; ++i) {
            history.record(seedJob(i));
            if (i % 5000 == 4999 && !roundTrip(client)) {
                std::fprintf(stderr, "redis: a command failed while seeding\n");
                return 1;
            }
        }
        if (!roundTrip(client))
            return 1;
        timer.start();
        for (int i = count - sample; i < count; ++i)
            history.record(seedJob(i));
        if (!roundTrip(client))
            return 1;
    }
    BenchUtil::emitValue("seeded", count);
    BenchUtil::emitValue("record_us", double(timer.nsecsElapsed()) / 1000.0 / sample);
    BenchUtil::emitValue("failed", count / 4);
    return 0;
}
