#pragma once

// The WebSocket suites' parts in one include, for the soak (tests/soak); the suites include
// the parts they use from tests/testsupport.

#include "wsclient.h"
#include "wsfixture.h"
#include "wslogclient.h"
#include "wsrawclient.h"
#include "wswait.h"

#include "core/wsprotocolname.h"
#include "logs/logfanouts.h"
#include "logs/podcatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
