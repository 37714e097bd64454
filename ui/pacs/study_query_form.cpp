#include "study_query_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace medvae::ui {
namespace {

// A part of the text: "*text*" unless the user wrote wildcards.
std::string containing(const QString& text) {
    const QString t = text.trimmed();
    if (t.contains(QLatin1Char('*')) || t.contains(QLatin1Char('?'))) return t.toStdString();
    return ("*" + t + "*").toStdString();
}

}  // namespace

StudyQueryForm::StudyQueryForm(QWidget* parent) : QWidget(parent) {
    patientId_ = new QLineEdit;
    patientName_ = new QLineEdit;
    modality_ = new QComboBox;
    modality_->setEditable(true);
    modality_->addItems({QString(), QStringLiteral("CT"), QStringLiteral("MR"),
                         QStringLiteral("CR"), QStringLiteral("DX"), QStringLiteral("MG"),
                         QStringLiteral("US"), QStringLiteral("PT"), QStringLiteral("NM"),
                         QStringLiteral("XA"), QStringLiteral("OT")});
    accession_ = new QLineEdit;
    description_ = new QLineEdit;
    dateEnabled_ = new QCheckBox(tr("Study &date from"));
    from_ = new QDateEdit(QDate::currentDate().addYears(-1));
    to_ = new QDateEdit(QDate::currentDate());
    for (QDateEdit* d : {from_, to_}) {
        d->setCalendarPopup(true);
        d->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        d->setEnabled(false);
    }
    connect(dateEnabled_, &QCheckBox::toggled, from_, &QWidget::setEnabled);
    connect(dateEnabled_, &QCheckBox::toggled, to_, &QWidget::setEnabled);
    for (auto [w, name] : {std::pair<QWidget*, const char*>{patientId_, "patientId"},
                           {patientName_, "patientName"},
                           {modality_, "modality"},
                           {accession_, "accession"},
                           {description_, "studyDescription"},
                           {dateEnabled_, "dateEnabled"},
                           {from_, "dateFrom"},
                           {to_, "dateTo"}})
        w->setObjectName(QLatin1String(name));
    for (QLineEdit* e : {patientId_, patientName_, accession_, description_})
        connect(e, &QLineEdit::returnPressed, this, &StudyQueryForm::searchRequested);

    auto* dates = new QHBoxLayout;
    dates->addWidget(from_);
    dates->addWidget(new QLabel(tr("to")));
    dates->addWidget(to_);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    const auto row = [grid](int r, int c, const QString& label, QWidget* field) {
        auto* l = new QLabel(label);
        l->setBuddy(field);
        grid->addWidget(l, r, c);
        grid->addWidget(field, r, c + 1);
    };
    row(0, 0, tr("Patient &ID:"), patientId_);
    row(0, 2, tr("Patient &name:"), patientName_);
    row(1, 0, tr("&Modality:"), modality_);
    row(1, 2, tr("A&ccession number:"), accession_);
    row(2, 0, tr("Study d&escription:"), description_);
    grid->addWidget(dateEnabled_, 2, 2);
    grid->addLayout(dates, 2, 3);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
}

pacs::Query StudyQueryForm::query(std::size_t limit, std::size_t offset) const {
    pacs::Query q;
    q.level = pacs::QueryLevel::Study;
    q.limit = limit;
    q.offset = offset;
    if (!patientId_->text().trimmed().isEmpty())
        q.keys["PatientID"] = patientId_->text().trimmed().toStdString();
    if (!patientName_->text().trimmed().isEmpty())
        q.keys["PatientName"] = containing(patientName_->text());
    if (!modality_->currentText().trimmed().isEmpty())
        q.keys["ModalitiesInStudy"] = modality_->currentText().trimmed().toUpper().toStdString();
    if (!accession_->text().trimmed().isEmpty())
        q.keys["AccessionNumber"] = accession_->text().trimmed().toStdString();
    if (!description_->text().trimmed().isEmpty())
        q.keys["StudyDescription"] = containing(description_->text());
    if (dateEnabled_->isChecked()) {
        const QString format = QStringLiteral("yyyyMMdd");
        q.keys["StudyDate"] =
            (from_->date().toString(format) + QLatin1Char('-') + to_->date().toString(format))
                .toStdString();
    }
    return q;
}

}  // namespace medvae::ui
