#include "mainwindow.h"

#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

MainWindow::MainWindow(const QUrl &backend, QWidget *parent)
    : QMainWindow(parent)
    , m_backend(backend)
    , m_state(new QLabel(this))
    , m_network(new QNetworkAccessManager(this))
{
    setWindowTitle(tr("Pullwatch"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *title = new QLabel(tr("<h2>Pullwatch</h2><p>Backend: %1</p>")
                                 .arg(m_backend.toString().toHtmlEscaped()),
                             central);
    layout->addWidget(title);
    layout->addWidget(m_state);
    layout->addStretch();
    setCentralWidget(central);
    resize(900, 600);
    statusBar()->showMessage(m_backend.toString());

    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::checkHealth);
    timer->start(5000);
    checkHealth();
}

void MainWindow::checkHealth()
{
    QUrl url = m_backend;
    url.setPath(QStringLiteral("/healthz"));
    QNetworkReply *reply = m_network->get(QNetworkRequest(url));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::NoError)
            m_state->setText(tr("Backend reachable."));
        else
            m_state->setText(tr("Backend unreachable: %1").arg(reply->errorString()));
    });
}
