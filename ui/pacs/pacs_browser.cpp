#include "pacs_browser.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "archive_profiles_dialog.h"
#include "study_query_form.h"
#include "windowed_image.h"

namespace medvae::ui {
namespace {

// The attribute shown in each column of the tables.
const char* const kStudyColumns[] = {
    "PatientName",       "PatientID",       "PatientBirthDate", "StudyDate",
    "ModalitiesInStudy", "AccessionNumber", "StudyDescription", "NumberOfStudyRelatedSeries"};
const char* const kSeriesColumns[] = {"", "SeriesNumber", "Modality", "SeriesDescription",
                                      "NumberOfSeriesRelatedInstances"};
constexpr int kUidRole = Qt::UserRole;

// `stretch`: the column (a description) that takes the width the others leave.
QTableWidget* makeTable(const QStringList& headers, const char* name, int stretch) {
    auto* table = new QTableWidget(0, int(headers.size()));
    table->setObjectName(QLatin1String(name));
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(stretch, QHeaderView::Stretch);
    table->setSortingEnabled(false);
    return table;
}

QTableWidgetItem* cell(const std::string& value) {
    auto* item = new QTableWidgetItem(QString::fromStdString(value));
    item->setToolTip(item->text());
    return item;
}

// Shown until a series' preview arrives.
QPixmap placeholder(int size) {
    QPixmap pixmap(size, size);
    pixmap.fill(QColor(128, 128, 128));
    return pixmap;
}

}  // namespace

PacsBrowser::PacsBrowser(std::shared_ptr<QSettings> settings, remote::KeyStore keys,
                         jobs::PacsCache cache, QWidget* parent)
    : QWidget(parent),
      settings_(std::move(settings)),
      keys_(keys),
      jobs_(new jobs::ArchiveJobs(keys, std::move(cache), &PacsBrowser::makeThumbnail, this)) {
    setObjectName(QStringLiteral("pacsBrowser"));
    profile_ = new QComboBox;
    profile_->setObjectName(QStringLiteral("profile"));
    profiles_ = new QPushButton(tr("&Servers…"));
    profiles_->setObjectName(QStringLiteral("profiles"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Archive:")));
    top->addWidget(profile_, 1);
    top->addWidget(profiles_);

    form_ = new StudyQueryForm;
    search_ = new QPushButton(tr("Searc&h"));
    search_->setObjectName(QStringLiteral("search"));
    search_->setDefault(true);
    pageSize_ = new QSpinBox;
    pageSize_->setObjectName(QStringLiteral("pageSize"));
    pageSize_->setRange(1, 5000);
    pageSize_->setValue(100);
    pageSize_->setPrefix(tr("at most "));
    pageSize_->setSuffix(tr(" studies"));
    next_ = new QPushButton(tr("Ne&xt page"));
    next_->setObjectName(QStringLiteral("nextPage"));
    count_ = new QLabel;
    count_->setObjectName(QStringLiteral("count"));
    auto* searchRow = new QHBoxLayout;
    searchRow->addWidget(search_);
    searchRow->addWidget(pageSize_);
    searchRow->addWidget(next_);
    searchRow->addWidget(count_, 1);

    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("status"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(form_);
    layout->addLayout(searchRow);
    layout->addWidget(createResults(), 1);
    layout->addWidget(status_);

    connect(profiles_, &QPushButton::clicked, this, &PacsBrowser::editProfiles);
    connect(search_, &QPushButton::clicked, this, &PacsBrowser::search);
    connect(form_, &StudyQueryForm::searchRequested, this, &PacsBrowser::search);
    connect(next_, &QPushButton::clicked, this, &PacsBrowser::nextPage);
    connect(profile_, &QComboBox::currentIndexChanged, this, &PacsBrowser::updateActions);
    connect(studies_, &QTableWidget::itemSelectionChanged, this, &PacsBrowser::studyChosen);
    connect(series_, &QTableWidget::itemSelectionChanged, this, &PacsBrowser::updateActions);
    connect(retrieveSeries_, &QPushButton::clicked, this, &PacsBrowser::retrieveSeries);
    connect(retrieveStudy_, &QPushButton::clicked, this, &PacsBrowser::retrieveStudy);
    connect(cancel_, &QPushButton::clicked, this, &PacsBrowser::cancelRetrieval);
    connect(clearCache_, &QPushButton::clicked, this, &PacsBrowser::clearCache);
    connect(jobs_, &jobs::ArchiveJobs::searched, this, &PacsBrowser::showStudies);
    connect(jobs_, &jobs::ArchiveJobs::seriesListed, this, &PacsBrowser::showSeries);
    connect(jobs_, &jobs::ArchiveJobs::thumbnailReady, this, &PacsBrowser::showThumbnail);
    connect(jobs_, &jobs::ArchiveJobs::seriesRetrieved, this, &PacsBrowser::seriesRetrieved);
    connect(jobs_, &jobs::ArchiveJobs::retrievalEnded, this, &PacsBrowser::retrievalFinished);
    connect(jobs_, &jobs::ArchiveJobs::retrievalProgress, this,
            [this](int done, int total, qint64 bytes) {
                progress_->setRange(0, total);
                progress_->setValue(done);
                setStatus(tr("Retrieving: %1 of %2 instances (%3 MB)…")
                              .arg(done)
                              .arg(total)
                              .arg(double(bytes) / 1e6, 0, 'f', 1));
            });
    reloadProfiles();
}

QWidget* PacsBrowser::createResults() {
    studies_ = makeTable({tr("Patient name"), tr("Patient ID"), tr("Birth date"), tr("Study date"),
                          tr("Modalities"), tr("Accession"), tr("Description"), tr("Series")},
                         "studies", 6);
    studies_->setSelectionMode(QAbstractItemView::SingleSelection);
    series_ =
        makeTable({tr("Preview"), tr("Number"), tr("Modality"), tr("Description"), tr("Instances")},
                  "series", 3);
    series_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    series_->setIconSize(QSize(kThumbnailSize, kThumbnailSize));
    series_->verticalHeader()->setDefaultSectionSize(kThumbnailSize + 4);
    series_->setColumnWidth(0, kThumbnailSize + 8);

    retrieveSeries_ = new QPushButton(tr("&Retrieve series"));
    retrieveStudy_ = new QPushButton(tr("Retrieve s&tudy"));
    cancel_ = new QPushButton(tr("Cancel"));
    clearCache_ = new QPushButton(tr("C&lear cache"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    for (auto [w, name] : {std::pair<QWidget*, const char*>{retrieveSeries_, "retrieveSeries"},
                           {retrieveStudy_, "retrieveStudy"},
                           {cancel_, "cancel"},
                           {clearCache_, "clearCache"},
                           {progress_, "progress"}})
        w->setObjectName(QLatin1String(name));
    auto* actions = new QHBoxLayout;
    actions->addWidget(retrieveSeries_);
    actions->addWidget(retrieveStudy_);
    actions->addWidget(cancel_);
    actions->addWidget(progress_, 1);
    actions->addWidget(clearCache_);
    auto* seriesPane = new QWidget;
    auto* seriesLayout = new QVBoxLayout(seriesPane);
    seriesLayout->setContentsMargins(0, 0, 0, 0);
    seriesLayout->addWidget(series_, 1);
    seriesLayout->addLayout(actions);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(studies_);
    split->addWidget(seriesPane);
    return split;
}

PacsBrowser::~PacsBrowser() {
    // The tables go after this; their last signals must not reach a half-destroyed browser.
    for (QObject* sender : std::initializer_list<QObject*>{studies_, series_, profile_})
        disconnect(sender, nullptr, this, nullptr);
    const jobs::PacsCache cache = jobs_->cache();
    delete jobs_;  // cancels and joins before the cache is cleared
    jobs_ = nullptr;
    cache.clear();
}

// ---- profiles ------------------------------------------------------------------------------

void PacsBrowser::reloadProfiles(const QString& select) {
    const QString keep = select.isEmpty() ? profile_->currentText() : select;
    const QSignalBlocker block(profile_);
    profile_->clear();
    for (const pacs::ArchiveProfile& p : pacs::ArchiveProfile::loadAll(*settings_))
        profile_->addItem(QString::fromStdString(p.name));
    const int at = profile_->findText(keep);
    profile_->setCurrentIndex(at >= 0 ? at : 0);
    updateActions();
}

bool PacsBrowser::selectProfile(const QString& name) {
    const int at = profile_->findText(name);
    if (at < 0) return false;
    profile_->setCurrentIndex(at);
    return true;
}

std::optional<pacs::ArchiveProfile> PacsBrowser::currentProfile() const {
    if (profile_->currentIndex() < 0) return std::nullopt;
    return pacs::ArchiveProfile::load(*settings_, profile_->currentText().toStdString());
}

void PacsBrowser::editProfiles() {
    ArchiveProfilesDialog dialog(*settings_, keys_, *jobs_, this);
    dialog.exec();
    reloadProfiles(dialog.selectedName());
}

// ---- search --------------------------------------------------------------------------------

void PacsBrowser::search() {
    runSearch(0);
}

void PacsBrowser::nextPage() {
    if (more_) runSearch(offset_ + std::size_t(pageSize_->value()));
}

void PacsBrowser::runSearch(std::size_t offset) {
    const auto profile = currentProfile();
    if (!profile) {
        setStatus(tr("Add a PACS server first (Servers…)."));
        return;
    }
    offset_ = offset;
    searching_ = true;
    setStatus(tr("Searching %1…").arg(QString::fromStdString(profile->name)));
    jobs_->search(*profile, form_->query(std::size_t(pageSize_->value()), offset));
    updateActions();
}

void PacsBrowser::showStudies(const pacs::QueryAnswer& answer, const QString& error) {
    searching_ = false;
    studies_->setRowCount(0);
    series_->setRowCount(0);
    shownStudy_.clear();
    if (!error.isEmpty()) {
        more_ = false;
        count_->clear();
        setStatus(error);
        updateActions();
        Q_EMIT searchFinished(false);
        return;
    }
    more_ = answer.truncated;
    const QSignalBlocker block(studies_);
    studies_->setRowCount(int(answer.rows.size()));
    for (int r = 0; r < int(answer.rows.size()); ++r) {
        const pacs::QueryRow& row = answer.rows[std::size_t(r)];
        for (int c = 0; c < int(std::size(kStudyColumns)); ++c)
            studies_->setItem(r, c, cell(row.value(kStudyColumns[c])));
        studies_->item(r, 0)->setData(kUidRole,
                                      QString::fromStdString(row.value("StudyInstanceUID")));
    }
    studies_->resizeColumnsToContents();
    const int first = int(offset_) + 1, last = int(offset_ + answer.rows.size());
    if (answer.rows.empty())
        count_->setText(tr("No studies match."));
    else if (more_)
        count_->setText(tr("Studies %1–%2 shown; more match (Next page, or narrow the search).")
                            .arg(first)
                            .arg(last));
    else
        count_->setText(offset_ == 0 ? tr("Studies found: %1.").arg(last)
                                     : tr("Studies %1–%2 (the last).").arg(first).arg(last));
    setStatus(QString());
    updateActions();
    Q_EMIT searchFinished(true);
}

QString PacsBrowser::selectedStudyUid() const {
    const QList<QTableWidgetItem*> selected = studies_->selectedItems();
    if (selected.isEmpty()) return QString();
    const QTableWidgetItem* first = studies_->item(selected.first()->row(), 0);
    return first ? first->data(kUidRole).toString() : QString();
}

void PacsBrowser::studyChosen() {
    series_->setRowCount(0);
    shownStudy_ = selectedStudyUid();
    const auto profile = currentProfile();
    if (!shownStudy_.isEmpty() && profile) {
        setStatus(tr("Listing the series…"));
        jobs_->listSeries(*profile, shownStudy_.toStdString());
    }
    updateActions();
}

void PacsBrowser::showSeries(const QString& studyUid, const pacs::QueryAnswer& answer,
                             const QString& error) {
    if (studyUid != shownStudy_) return;  // another study was chosen meanwhile
    if (!error.isEmpty()) {
        setStatus(error);
        Q_EMIT seriesListed(false);
        return;
    }
    std::vector<pacs::QueryRow> rows = answer.rows;
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return QString::fromStdString(a.value("SeriesNumber")).toInt() <
               QString::fromStdString(b.value("SeriesNumber")).toInt();
    });
    const QSignalBlocker block(series_);
    series_->setRowCount(int(rows.size()));
    const QPixmap grey = placeholder(kThumbnailSize);
    const auto profile = currentProfile();
    for (int r = 0; r < int(rows.size()); ++r) {
        const pacs::QueryRow& row = rows[std::size_t(r)];
        auto* preview = new QTableWidgetItem;
        preview->setIcon(QIcon(grey));
        preview->setData(kUidRole, QString::fromStdString(row.value("SeriesInstanceUID")));
        series_->setItem(r, 0, preview);
        for (int c = 1; c < int(std::size(kSeriesColumns)); ++c)
            series_->setItem(r, c, cell(row.value(kSeriesColumns[c])));
        if (profile)
            jobs_->thumbnail(*profile, studyUid.toStdString(), row.value("SeriesInstanceUID"),
                             kThumbnailSize);
    }
    series_->resizeColumnsToContents();
    series_->setColumnWidth(0, std::max(series_->columnWidth(0), kThumbnailSize + 8));
    setStatus(QString());
    updateActions();
    Q_EMIT seriesListed(true);
}

namespace {
// A series' preview, made on an archive thread.
struct SeriesThumbnail : jobs::Rendering {
    QImage image;
};
}  // namespace

std::shared_ptr<const jobs::Rendering> PacsBrowser::makeThumbnail(const Image& image, int size) {
    auto t = std::make_shared<SeriesThumbnail>();
    t->image = WindowedImage(std::make_shared<const Image>(image))
                   .initialRendering()
                   .scaled(size, size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return t;
}

void PacsBrowser::showThumbnail(const QString& seriesUid,
                                std::shared_ptr<const jobs::Rendering> thumbnail,
                                const QString& error) {
    const auto preview = std::dynamic_pointer_cast<const SeriesThumbnail>(thumbnail);
    for (int r = 0; r < series_->rowCount(); ++r) {
        QTableWidgetItem* item = series_->item(r, 0);
        if (!item || item->data(kUidRole).toString() != seriesUid) continue;
        if (!preview || preview->image.isNull()) {
            item->setToolTip(tr("No preview: %1").arg(error));
        } else {
            item->setIcon(QIcon(QPixmap::fromImage(preview->image)));
            item->setData(Qt::UserRole + 1, true);  // the preview has arrived
        }
    }
}

// ---- retrieval -----------------------------------------------------------------------------

void PacsBrowser::retrieveSeries() {
    std::vector<std::string> uids;
    for (const QModelIndex& index : series_->selectionModel()->selectedRows(0))
        uids.push_back(index.data(kUidRole).toString().toStdString());
    if (!uids.empty()) startRetrieval(uids);
}

void PacsBrowser::retrieveStudy() {
    startRetrieval({});
}

void PacsBrowser::startRetrieval(const std::vector<std::string>& seriesUids) {
    const auto profile = currentProfile();
    const QString study = selectedStudyUid();
    if (!profile || study.isEmpty() || jobs_->retrieving()) return;
    progress_->setRange(0, 0);
    setStatus(tr("Retrieving…"));
    jobs_->retrieve(*profile, study.toStdString(), seriesUids, pacs::RetrieveLimits());
    updateActions();
}

void PacsBrowser::cancelRetrieval() {
    jobs_->cancelRetrieval();
    setStatus(tr("Cancelling the retrieval…"));
}

void PacsBrowser::retrievalFinished(bool ok, bool cancelled, const QString& message) {
    progress_->setRange(0, 1);
    progress_->setValue(ok ? 1 : 0);
    setStatus(ok ? tr("Retrieved; the images are in the Images list.") : message);
    updateActions();
    Q_EMIT retrievalEnded(ok, cancelled, message);
}

void PacsBrowser::clearCache() {
    if (jobs_->retrieving()) return;
    QString why;
    setStatus(jobs_->cache().clear(&why) ? tr("The cache of retrieved images is empty.") : why);
}

// ---- state ---------------------------------------------------------------------------------

QString PacsBrowser::statusText() const {
    return status_->text();
}

QString PacsBrowser::countText() const {
    return count_->text();
}

void PacsBrowser::setStatus(const QString& text) {
    status_->setText(text);
}

void PacsBrowser::updateActions() {
    const bool haveProfile = profile_->currentIndex() >= 0;
    const bool retrieving = jobs_->retrieving();
    search_->setEnabled(haveProfile);
    next_->setEnabled(haveProfile && more_ && !searching_);
    retrieveSeries_->setEnabled(!retrieving && series_->selectionModel()->hasSelection());
    retrieveStudy_->setEnabled(!retrieving && !selectedStudyUid().isEmpty());
    cancel_->setEnabled(retrieving);
    clearCache_->setEnabled(!retrieving);
}

}  // namespace medvae::ui
