#!/usr/bin/python3
"""Independent reference values for tst_dimse, read with pydicom (never with the project's code).

    dimse_reference.py corpus FILE_OR_DIR ...
        prints JSON {"instances": [{path, study, series, sop, sop_class, patient_id, modality,
        series_number, instance_number}]} for the DICOM files (with the DICM preamble) found.
    dimse_reference.py stored ORTHANC_URL SOP_INSTANCE_UID
        downloads the instance from Orthanc's REST API and prints what the derived-object test
        checks: UIDs, ImageType, the Patient/Study attributes, SourceImageSequence, the pixel
        array (as a flat list) and rescale, and the SHA-256 of the file as stored.
    dimse_reference.py file-sha256 ORTHANC_URL SOP_INSTANCE_UID
        the SHA-256 of the instance's file as Orthanc stores it.
    dimse_reference.py pixels FILE
        the pixel array of a local file (flat list) with its shape.
"""
import hashlib
import json
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pydicom


def dicom_files(paths):
    found = []
    for p in map(Path, paths):
        candidates = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in candidates:
            with open(f, "rb") as h:
                if h.read(132)[128:132] == b"DICM":
                    found.append(f)
    return found


def corpus(paths):
    rows = []
    for f in dicom_files(paths):
        ds = pydicom.dcmread(f, stop_before_pixels=True)
        rows.append({
            "path": str(f), "study": ds.StudyInstanceUID, "series": ds.SeriesInstanceUID,
            "sop": ds.SOPInstanceUID, "sop_class": ds.SOPClassUID,
            "patient_id": str(ds.get("PatientID", "")), "modality": str(ds.get("Modality", "")),
            "series_number": str(ds.get("SeriesNumber", "")),
            "instance_number": str(ds.get("InstanceNumber", "")),
        })
    return {"instances": rows}


def orthanc_file(url, sop):
    query = json.dumps({"Level": "Instance", "Query": {"SOPInstanceUID": sop}}).encode()
    request = urllib.request.Request(url + "/tools/find", data=query, method="POST")
    with urllib.request.urlopen(request, timeout=30) as r:
        ids = json.loads(r.read())
    if len(ids) != 1:
        raise SystemExit(f"expected one instance {sop} in Orthanc, found {len(ids)}")
    with urllib.request.urlopen(f"{url}/instances/{ids[0]}/file", timeout=30) as r:
        return r.read()


def pixels(ds):
    array = ds.pixel_array
    return {"shape": list(array.shape), "pixels": array.reshape(-1).tolist()}


def stored(url, sop):
    data = orthanc_file(url, sop)
    ds = pydicom.dcmread(pydicom.filebase.DicomBytesIO(data))
    source = ds.get("SourceImageSequence", [])
    referenced_series = ds.get("ReferencedSeriesSequence", [])
    out = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "sop_class": ds.SOPClassUID, "sop": ds.SOPInstanceUID,
        "series": ds.SeriesInstanceUID, "study": ds.StudyInstanceUID,
        "patient_id": str(ds.get("PatientID", "")), "patient_name": str(ds.get("PatientName", "")),
        "image_type": list(ds.ImageType), "conversion_type": str(ds.get("ConversionType", "")),
        "series_number": str(ds.get("SeriesNumber", "")),
        "series_description": str(ds.get("SeriesDescription", "")),
        "photometric": ds.PhotometricInterpretation, "bits_stored": int(ds.BitsStored),
        "rescale_slope": float(ds.get("RescaleSlope", 1)),
        "rescale_intercept": float(ds.get("RescaleIntercept", 0)),
        "source_sops": [str(item.ReferencedSOPInstanceUID) for item in source],
        "referenced_series": [str(item.SeriesInstanceUID) for item in referenced_series],
    }
    out.update(pixels(ds))
    return out


def main():
    command = sys.argv[1]
    if command == "corpus":
        result = corpus(sys.argv[2:])
    elif command == "stored":
        result = stored(sys.argv[2], sys.argv[3])
    elif command == "file-sha256":
        result = {"sha256": hashlib.sha256(orthanc_file(sys.argv[2], sys.argv[3])).hexdigest()}
    elif command == "pixels":
        result = pixels(pydicom.dcmread(sys.argv[2]))
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
