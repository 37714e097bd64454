<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ErrorWording</name>
    <message>
        <source>&apos;%1&apos; does not exist (and is not an http(s)/file/data URL or base64 data)</source>
        <translation>„%1“ existiert nicht (und ist keine http(s)-/file-/data-URL und keine Base64-Daten)</translation>
    </message>
    <message>
        <source>cannot open &apos;%1&apos;: %2</source>
        <translation>„%1“ kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is empty (0 bytes)</source>
        <translation>„%1“ ist leer (0 Byte)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an image this program can read (unrecognised contents)</source>
        <translation>„%1“ ist kein Bild, das dieses Programm lesen kann (Inhalt nicht erkannt)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a readable DICOM file (%2)</source>
        <translation>„%1“ ist keine lesbare DICOM-Datei (%2)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a DICOM file without pixel data</source>
        <translation>„%1“ ist eine DICOM-Datei ohne Pixeldaten</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is neither a PyTorch checkpoint (zip) nor a safetensors file (unrecognised contents; is it truncated or a different kind of file?)</source>
        <translation>„%1“ ist weder ein PyTorch-Checkpoint (zip) noch eine safetensors-Datei (Inhalt nicht erkannt; ist sie abgeschnitten oder eine andere Art von Datei?)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a checkpoint in PyTorch&apos;s legacy (pre-1.6) format, which is not supported; load it in Python and save it again with torch.save</source>
        <translation>„%1“ ist ein Checkpoint im alten PyTorch-Format (vor 1.6), das nicht unterstützt wird; laden Sie ihn in Python und speichern Sie ihn erneut mit torch.save</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: out of memory while reading the checkpoint</source>
        <translation>„%1“: Speicher reicht beim Lesen des Checkpoints nicht aus</translation>
    </message>
    <message>
        <source>Connection refused by %1: nothing listens there (check the port, or whether the server runs)</source>
        <translation>Verbindung von %1 abgelehnt: dort wartet nichts auf Verbindungen (Port prüfen oder ob der Server läuft)</translation>
    </message>
    <message>
        <source>DNS: the host name &apos;%1&apos; could not be resolved; check the scoring URI and the network</source>
        <translation>DNS: Der Hostname „%1“ konnte nicht aufgelöst werden; prüfen Sie die Scoring-URI und das Netzwerk</translation>
    </message>
    <message>
        <source>Connecting to %1 timed out</source>
        <translation>Zeitüberschreitung beim Verbinden mit %1</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Netzwerkfehler bei der Verbindung mit %1: %2</translation>
    </message>
    <message>
        <source>cannot create the output folder &apos;%1&apos;: %2</source>
        <translation>Der Ausgabeordner „%1“ kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (%2) would need about %3, over the memory budget of %4; nothing was decoded. Use a smaller image or bfloat16 precision, or raise the budget (--max-memory-gb, or MEDVAE_MAX_MEMORY_GB) if the machine has the memory</source>
        <translation>„%1“ (%2) bräuchte etwa %3, mehr als das Speicherbudget von %4; nichts wurde dekodiert. Verwenden Sie ein kleineres Bild oder bfloat16-Genauigkeit, oder erhöhen Sie das Budget (--max-memory-gb oder MEDVAE_MAX_MEMORY_GB), wenn der Rechner den Speicher hat</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid DICOM file (%2)</source>
        <translation>„%1“ ist keine gültige DICOM-Datei (%2)</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; reconstructions agree to %4 dB</source>
        <translation>gekachelt: %1 Kacheln von %2 px (%3 px Überlappung), eine Näherung des exakten Ergebnisses; die Rekonstruktionen überlappender Kacheln stimmen auf %4 dB überein</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; z differ by %4 of its RMS</source>
        <translation>gekachelt: %1 Kacheln von %2 px (%3 px Überlappung), eine Näherung des exakten Ergebnisses; die z überlappender Kacheln weichen um %4 ihres Effektivwerts ab</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result</source>
        <translation>gekachelt: %1 Kacheln von %2 px (%3 px Überlappung), eine Näherung des exakten Ergebnisses</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Images will be sent to the endpoint &quot;%1&quot; at %2 for encoding.

Only pixels leave this machine, re-encoded as PNG: no DICOM header, no file names, no patient data fields. Whoever runs %2 can see the images.%3

Send images to this endpoint?</source>
        <translation>Bilder werden zur Kodierung an den Endpunkt „%1“ unter %2 gesendet.

Nur Pixel verlassen diesen Rechner, als PNG neu kodiert: kein DICOM-Header, keine Dateinamen, keine Patientendaten. Wer %2 betreibt, kann die Bilder sehen.%3

Bilder an diesen Endpunkt senden?</translation>
    </message>
    <message>
        <source> Images opened from a web address are sent as that address, and the endpoint downloads them itself.</source>
        <translation> Von einer Webadresse geöffnete Bilder werden als diese Adresse gesendet, und der Endpunkt lädt sie selbst herunter.</translation>
    </message>
    <message>
        <source>Send images to an endpoint?</source>
        <translation>Bilder an einen Endpunkt senden?</translation>
    </message>
</context>
<context>
    <name>SessionKeyPrompt</name>
    <message>
        <source>The key of the endpoint &quot;%1&quot; cannot be read from the system keychain:
%2

Enter the key to use it for this session only: it is kept in memory and never written, and asked for again after a restart. Leave the field empty if the endpoint takes no key.</source>
        <translation>Der Schlüssel des Endpunkts „%1“ kann nicht aus dem Schlüsselbund des Systems gelesen werden:
%2

Geben Sie den Schlüssel ein, um ihn nur für diese Sitzung zu verwenden: Er wird im Arbeitsspeicher gehalten, nie geschrieben und nach einem Neustart erneut abgefragt. Lassen Sie das Feld leer, wenn der Endpunkt keinen Schlüssel verlangt.</translation>
    </message>
    <message>
        <source>Key for this session</source>
        <translation>Schlüssel für diese Sitzung</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Inspect the latents and reconstructions of MedVAE medical-image autoencoders.</source>
        <translation>Latents und Rekonstruktionen der MedVAE-Autoencoder für medizinische Bilder untersuchen.</translation>
    </message>
    <message>
        <source>Checkpoint to load instead of the remembered one.</source>
        <translation>Checkpoint, der statt des gespeicherten geladen wird.</translation>
    </message>
    <message>
        <source>Save the window to FILE once the first result is shown, then quit.</source>
        <translation>Das Fenster nach dem ersten angezeigten Ergebnis in FILE speichern und beenden.</translation>
    </message>
    <message>
        <source>Image files, folders or URLs.</source>
        <translation>Bilddateien, Ordner oder URLs.</translation>
    </message>
</context>
<context>
    <name>medvae::jobs::ModelDownloader</name>
    <message>
        <source>&quot;%1&quot; is not a checkpoint file name.</source>
        <translation>„%1“ ist kein Checkpoint-Dateiname.</translation>
    </message>
    <message>
        <source>Cannot download from &quot;%1&quot;: not an http(s) address.</source>
        <translation>Download von „%1“ nicht möglich: keine http(s)-Adresse.</translation>
    </message>
    <message>
        <source>Cannot create the model cache folder %1.</source>
        <translation>Der Modell-Cache-Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>The checkpoint is %1, over the download limit of %2.</source>
        <translation>Der Checkpoint ist %1 groß und überschreitet das Download-Limit von %2.</translation>
    </message>
    <message>
        <source>The download exceeded the limit of %1.</source>
        <translation>Der Download überschritt das Limit von %1.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>The server sent nothing for %1 s; the download was stopped.</source>
        <translation>Der Server schickte %1 s lang nichts; der Download wurde angehalten.</translation>
    </message>
    <message>
        <source>The server answered %1 %2 for %3.</source>
        <translation>Der Server antwortete %1 %2 für %3.</translation>
    </message>
    <message>
        <source>Download of %1 failed: %2</source>
        <translation>Download von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The download ended after %1 of %2; the file is incomplete.</source>
        <translation>Der Download endete nach %1 von %2; die Datei ist unvollständig.</translation>
    </message>
    <message>
        <source>The server sent an empty file.</source>
        <translation>Der Server schickte eine leere Datei.</translation>
    </message>
    <message>
        <source>Cannot create the folder for %1.</source>
        <translation>Der Ordner für %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot move the download to %1: %2</source>
        <translation>Der Download kann nicht nach %1 verschoben werden: %2</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ABComparePanel</name>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Reconstruction A</source>
        <translation>Rekonstruktion A</translation>
    </message>
    <message>
        <source>Reconstruction A: %1</source>
        <translation>Rekonstruktion A: %1</translation>
    </message>
    <message>
        <source>Reconstruction B</source>
        <translation>Rekonstruktion B</translation>
    </message>
    <message>
        <source>Reconstruction B: %1</source>
        <translation>Rekonstruktion B: %1</translation>
    </message>
    <message>
        <source>Error A |original − A|</source>
        <translation>Fehler A |Original − A|</translation>
    </message>
    <message>
        <source>Error B |original − B| (same scale)</source>
        <translation>Fehler B |Original − B| (gleiche Skala)</translation>
    </message>
    <message>
        <source>|error A| − |error B|: red where B is closer, blue where A is</source>
        <translation>|Fehler A| − |Fehler B|: rot, wo B näher liegt, blau, wo A</translation>
    </message>
    <message>
        <source>The two reconstructions cannot be compared.</source>
        <translation>Die beiden Rekonstruktionen können nicht verglichen werden.</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>Pixelwert</translation>
    </message>
    <message>
        <source>A and B: one scale</source>
        <translation>A und B: eine Skala</translation>
    </message>
    <message>
        <source>Both heatmaps span 0 to the larger of their 99th percentiles of |error|, so that equal colours mean equal errors; larger errors take the top colour.</source>
        <translation>Beide Heatmaps reichen von 0 bis zum größeren ihrer 99. Perzentile von |Fehler|, damit gleiche Farben gleiche Fehler bedeuten; größere Fehler erhalten die oberste Farbe.</translation>
    </message>
    <message>
        <source>red: B better
blue: A better</source>
        <translation>rot: B besser
blau: A besser</translation>
    </message>
    <message>
        <source>|error A| − |error B| per pixel, from −p to p (p its 99th percentile of magnitude): positive (red) where B&apos;s reconstruction is closer to the original, negative (blue) where A&apos;s is, white where they are equal.</source>
        <translation>|Fehler A| − |Fehler B| je Pixel, von −p bis p (p das 99. Perzentil seines Betrags): positiv (rot), wo die Rekonstruktion von B dem Original näher ist, negativ (blau), wo die von A es ist, weiß, wo beide gleich sind.</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞ (identisch)</translation>
    </message>
    <message>
        <source>%1 (%2, %3×, %4 latent channels): PSNR %5 · SSIM %6 · MAE %7 · max error %8</source>
        <translation>%1 (%2, %3×, %4 latente Kanäle): PSNR %5 · SSIM %6 · MAE %7 · max. Fehler %8</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>B closer at %1 % of the pixels, A closer at %2 %</source>
        <translation>B näher bei %1 % der Pixel, A näher bei %2 %</translation>
    </message>
    <message>
        <source>Maps of the area both models reconstructed, %1×%2 of %3×%4 (each model&apos;s output is a multiple of its factor per side); each model&apos;s metrics are over its own area.</source>
        <translation>Karten des Bereichs, den beide Modelle rekonstruiert haben, %1×%2 von %3×%4 (die Ausgabe jedes Modells ist je Seite ein Vielfaches seines Faktors); die Kennzahlen jedes Modells gelten für seinen eigenen Bereich.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ArchiveProfilesDialog</name>
    <message>
        <source>PACS servers</source>
        <translation>PACS-Server</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>&amp;Verbindung testen</translation>
    </message>
    <message>
        <source>DICOMweb: http://host:8042/dicom-web   DIMSE: AET@host:port</source>
        <translation>DICOMweb: http://host:8042/dicom-web   DIMSE: AET@host:port</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>User and password (Basic)</source>
        <translation>Benutzer und Passwort (Basic)</translation>
    </message>
    <message>
        <source>Token (Bearer)</source>
        <translation>Token (Bearer)</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>im Schlüsselbund des Systems gespeichert; leer lassen, um ihn zu behalten</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>A&amp;dresse:</translation>
    </message>
    <message>
        <source>Calling &amp;AE title (DIMSE):</source>
        <translation>Eigener &amp;AE-Titel (DIMSE):</translation>
    </message>
    <message>
        <source>A&amp;uthentication (DICOMweb):</source>
        <translation>A&amp;nmeldung (DICOMweb):</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>&amp;Password or token:</source>
        <translation>&amp;Passwort oder Token:</translation>
    </message>
    <message>
        <source>New archive</source>
        <translation>Neues Archiv</translation>
    </message>
    <message>
        <source>New archive %1</source>
        <translation>Neues Archiv %1</translation>
    </message>
    <message>
        <source>Removing the password or token from the system keychain…</source>
        <translation>Passwort oder Token wird aus dem Schlüsselbund des Systems entfernt…</translation>
    </message>
    <message>
        <source>A renamed profile needs its password or token typed again.</source>
        <translation>Ein umbenanntes Profil braucht sein Passwort oder Token erneut.</translation>
    </message>
    <message>
        <source>Another profile has that name.</source>
        <translation>Ein anderes Profil hat diesen Namen.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Storing the password or token in the system keychain…</source>
        <translation>Passwort oder Token wird im Schlüsselbund des Systems gespeichert…</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the password or token is kept for this session only, in memory.</source>
        <translation>Gespeichert. Es ist kein Schlüsselbund verfügbar, daher wird das Passwort oder Token nur für diese Sitzung im Speicher gehalten.</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Verbindung wird getestet…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BackendSwitch</name>
    <message>
        <source>The bundled demo model was not found; load a checkpoint.</source>
        <translation>Das mitgelieferte Demomodell wurde nicht gefunden; laden Sie einen Checkpoint.</translation>
    </message>
    <message>
        <source>Loading model %1…</source>
        <translation>Lade Modell %1…</translation>
    </message>
    <message>
        <source>No local model is loaded; load a checkpoint.</source>
        <translation>Kein lokales Modell geladen; laden Sie einen Checkpoint.</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>Kein aktives Endpunkt-Profil: Wählen Sie eines unter Ausführen ▸ Endpunkt-Profile.</translation>
    </message>
    <message>
        <source>Staying with the local engine.</source>
        <translation>Die lokale Engine bleibt in Verwendung.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>Model not loaded: %1</source>
        <translation>Modell nicht geladen: %1</translation>
    </message>
    <message>
        <source>Model loaded: %1</source>
        <translation>Modell geladen: %1</translation>
    </message>
    <message>
        <source>Remote endpoint not available: %1</source>
        <translation>Entfernter Endpunkt nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Using the remote endpoint %1.</source>
        <translation>Entfernter Endpunkt %1 wird verwendet.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BatchPanel</name>
    <message>
        <source>Add images</source>
        <translation>Bilder hinzufügen</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Ordner hinzufügen</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <source>Drop image files, folders (DICOM folders too) or URL lists here.</source>
        <translation>Bilddateien, Ordner (auch DICOM-Ordner) oder URL-Listen hier ablegen.</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Dateien hinzufügen…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>PSNR (dB)</source>
        <translation>PSNR (dB)</translation>
    </message>
    <message>
        <source>SSIM</source>
        <translation>SSIM</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>Latent</source>
        <translation>Latent</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>Zeit (s)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>Ausgabeordner:</translation>
    </message>
    <message>
        <source>Folder for latents, images and the manifest</source>
        <translation>Ordner für Latents, Bilder und das Manifest</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>Ausgabeordner öffnen</translation>
    </message>
    <message>
        <source>Latent (.npy)</source>
        <translation>Latent (.npy)</translation>
    </message>
    <message>
        <source>z (.npy)</source>
        <translation>z (.npy)</translation>
    </message>
    <message>
        <source>Reconstruction (.png)</source>
        <translation>Rekonstruktion (.png)</translation>
    </message>
    <message>
        <source>Error heatmap (.png)</source>
        <translation>Fehler-Heatmap (.png)</translation>
    </message>
    <message>
        <source>Latent (.nii.gz)</source>
        <translation>Latent (.nii.gz)</translation>
    </message>
    <message>
        <source>Reconstruct and measure</source>
        <translation>Rekonstruieren und messen</translation>
    </message>
    <message>
        <source>Skip finished items</source>
        <translation>Fertige Elemente überspringen</translation>
    </message>
    <message>
        <source>Items already complete in the output folder for the same model and settings are not computed again.</source>
        <translation>Elemente, die im Ausgabeordner für dasselbe Modell und dieselben Einstellungen bereits fertig sind, werden nicht erneut berechnet.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplikat</translation>
    </message>
    <message>
        <source>Same input as %1</source>
        <translation>Gleiche Eingabe wie %1</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n Element</numerusform>
            <numerusform>%n Elemente</numerusform>
        </translation>
    </message>
    <message>
        <source>Load a model or connect an endpoint first.</source>
        <translation>Laden Sie zuerst ein Modell oder verbinden Sie einen Endpunkt.</translation>
    </message>
    <message>
        <source>Choose at least one output format.</source>
        <translation>Wählen Sie mindestens ein Ausgabeformat.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>, %1 images/s, %2 min %3 s left</source>
        <translation>, %1 Bilder/s, noch %2 min %3 s</translation>
    </message>
    <message>
        <source> (paused)</source>
        <translation> (pausiert)</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>Angehalten: %1</translation>
    </message>
    <message>
        <source>%1 done, %2 skipped, %3 failed, %4 duplicates in %5 s%6</source>
        <translation>%1 fertig, %2 übersprungen, %3 fehlgeschlagen, %4 Duplikate in %5 s%6</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation> (abgebrochen)</translation>
    </message>
    <message>
        <source>The endpoint does not return z (the stage-1 latent).</source>
        <translation>Der Endpunkt liefert kein z (das Latent der Stufe 1).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>„%1“ existiert nicht</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>Pfad kopieren</translation>
    </message>
    <message>
        <source>Copy the output folder&apos;s path to the clipboard</source>
        <translation>Den Pfad des Ausgabeordners in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>The output folder %1 does not exist yet; a run creates it.</source>
        <translation>Der Ausgabeordner %1 existiert noch nicht; ein Lauf legt ihn an.</translation>
    </message>
    <message>
        <source>No file manager could open %1. Copy the path and open it another way.</source>
        <translation>Kein Dateimanager konnte %1 öffnen. Kopieren Sie den Pfad und öffnen Sie ihn auf anderem Weg.</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>%1 kopiert</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>Bericht…</translation>
    </message>
    <message>
        <source>Write the batch fidelity report (report.html) into the output folder</source>
        <translation>Den Treuebericht des Stapels (report.html) in den Ausgabeordner schreiben</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>Bericht öffnen</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Bericht wird geschrieben…</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>Bericht geschrieben: %1</translation>
    </message>
    <message>
        <source>The report could not be written: %1</source>
        <translation>Der Bericht konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>Nothing could open %1.</source>
        <translation>Nichts konnte %1 öffnen.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ComparePanel</name>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>Rekonstruktion</translation>
    </message>
    <message>
        <source>Error |original − reconstruction|</source>
        <translation>Fehler |Original − Rekonstruktion|</translation>
    </message>
    <message>
        <source>Signed difference (reconstruction − original)</source>
        <translation>Vorzeichenbehaftete Differenz (Rekonstruktion − Original)</translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation>Absoluter Fehler</translation>
    </message>
    <message>
        <source>Signed difference</source>
        <translation>Vorzeichenbehaftete Differenz</translation>
    </message>
    <message>
        <source>Heatmap of |original − reconstruction| (magma) or of the signed difference (blue: reconstruction darker, red: brighter)</source>
        <translation>Heatmap von |Original − Rekonstruktion| (magma) oder der vorzeichenbehafteten Differenz (blau: Rekonstruktion dunkler, rot: heller)</translation>
    </message>
    <message>
        <source>Window presets for the original and the reconstruction</source>
        <translation>Fenstervorgaben für Original und Rekonstruktion</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Image information</source>
        <translation>Bildinformationen</translation>
    </message>
    <message>
        <source>Show modality, descriptions, size and frame on the original (hidden by default so screenshots carry no identifiers)</source>
        <translation>Modalität, Beschreibungen, Größe und Frame auf dem Original zeigen (standardmäßig verborgen, damit Screenshots keine Kennungen enthalten)</translation>
    </message>
    <message>
        <source>Pad input to the factor</source>
        <translation>Eingabe auf den Faktor auffüllen</translation>
    </message>
    <message>
        <source>Pad the input on the right and bottom to a multiple of the model&apos;s factor so that every pixel is reconstructed</source>
        <translation>Die Eingabe rechts und unten auf ein Vielfaches des Modellfaktors auffüllen, damit jedes Pixel rekonstruiert wird</translation>
    </message>
    <message>
        <source>The reconstruction cannot be compared: its images differ in size.</source>
        <translation>Die Rekonstruktion kann nicht verglichen werden: Ihre Bilder unterscheiden sich in der Größe.</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>Pixelwert</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞ (identisch)</translation>
    </message>
    <message>
        <source>PSNR: %1
SSIM: %2
MAE: %3%4
Max error: %5%4
Data range: %6%4</source>
        <translation>PSNR: %1
SSIM: %2
MAE: %3%4
Max. Fehler: %5%4
Datenbereich: %6%4</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of %5 per side.</source>
        <translation>Verglichener Bereich %1×%2 von %3×%4: Die Ausgabe des Modells ist je Seite ein Vielfaches von %5.</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of its downsampling factor per side.</source>
        <translation>Verglichener Bereich %1×%2 von %3×%4: Die Ausgabe des Modells ist je Seite ein Vielfaches seines Verkleinerungsfaktors.</translation>
    </message>
    <message>
        <source>x %1  y %2
Original: %3
Reconstruction: %4
Difference: %5</source>
        <translation>x %1  y %2
Original: %3
Rekonstruktion: %4
Differenz: %5</translation>
    </message>
    <message>
        <source>scale: 99th percentile</source>
        <translation>Skala: 99. Perzentil</translation>
    </message>
    <message>
        <source>Colours span −p to p, p the 99th percentile of |reconstruction − original|, so that a few hot pixels do not wash out the map; larger differences take the end colours.</source>
        <translation>Die Farben reichen von −p bis p, p das 99. Perzentil von |Rekonstruktion − Original|, damit wenige heiße Pixel die Karte nicht auswaschen; größere Abweichungen erhalten die Endfarben.</translation>
    </message>
    <message>
        <source>Colours span 0 to the 99th percentile of |original − reconstruction|, so that a few hot pixels do not wash out the map; larger errors take the top colour. Batch export&apos;s error PNG uses the same scale.</source>
        <translation>Die Farben reichen von 0 bis zum 99. Perzentil von |Original − Rekonstruktion|, damit wenige heiße Pixel die Karte nicht auswaschen; größere Fehler erhalten die oberste Farbe. Das Fehler-PNG des Stapelexports verwendet dieselbe Skala.</translation>
    </message>
    <message>
        <source>Link window</source>
        <translation>Fenster koppeln</translation>
    </message>
    <message>
        <source>Window/level changes on the original or the reconstruction apply to both</source>
        <translation>Änderungen von Fensterbreite/-lage am Original oder an der Rekonstruktion gelten für beide</translation>
    </message>
    <message>
        <source>The reconstruction and its error appear here once an image is computed.</source>
        <translation>Die Rekonstruktion und ihr Fehler erscheinen hier, sobald ein Bild berechnet ist.</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>No image yet.

File ▸ Open Images… (%1), Open Folder… or Open URL…
or drop image files or a folder on the window
or paste a path, address or image (%2).</source>
        <translation>Noch kein Bild.

Datei ▸ Bilder öffnen… (%1), Ordner öffnen… oder URL öffnen…
oder Bilddateien oder einen Ordner auf das Fenster ziehen
oder einen Pfad, eine Adresse oder ein Bild einfügen (%2).</translation>
    </message>
</context>
<context>
    <name>medvae::ui::EndpointProfilesDialog</name>
    <message>
        <source>Remote endpoints</source>
        <translation>Entfernte Endpunkte</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Use as &amp;active</source>
        <translation>Als &amp;aktiv verwenden</translation>
    </message>
    <message>
        <source>empty: the endpoint&apos;s traffic split</source>
        <translation>leer: Lastverteilung des Endpunkts</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>im Schlüsselbund des Systems gespeichert; leer lassen, um ihn zu behalten</translation>
    </message>
    <message>
        <source>Send images opened from web addresses as their URL</source>
        <translation>Von Webadressen geöffnete Bilder als ihre URL senden</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Scoring &amp;URI:</source>
        <translation>Scoring-&amp;URI:</translation>
    </message>
    <message>
        <source>&amp;Deployment:</source>
        <translation>&amp;Deployment:</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Timeout per request:</source>
        <translation>&amp;Zeitlimit pro Anfrage:</translation>
    </message>
    <message>
        <source>Re&amp;tries:</source>
        <translation>&amp;Wiederholungen:</translation>
    </message>
    <message>
        <source>Requests in &amp;flight:</source>
        <translation>&amp;Gleichzeitige Anfragen:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>&amp;Verbindung testen</translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation>%1 (aktiv)</translation>
    </message>
    <message>
        <source>New endpoint</source>
        <translation>Neuer Endpunkt</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>Ein Profil braucht einen Namen.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Testing %1 ...</source>
        <translation>Teste %1 …</translation>
    </message>
    <message>
        <source>The profile was removed; its key could not be removed from the keychain: %1</source>
        <translation>Das Profil wurde entfernt; sein Schlüssel konnte nicht aus dem Schlüsselbund entfernt werden: %1</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the key is kept for this session only: in memory, never written. You will be asked for it again after a restart.</source>
        <translation>Gespeichert. Es ist kein Schlüsselbund des Systems verfügbar, daher wird der Schlüssel nur für diese Sitzung gehalten: im Arbeitsspeicher, nie geschrieben. Nach einem Neustart werden Sie erneut danach gefragt.</translation>
    </message>
    <message>
        <source>Type the key in the Key field and save: it is then kept for this session only.</source>
        <translation>Geben Sie den Schlüssel im Feld „Schlüssel“ ein und speichern Sie: Er wird dann nur für diese Sitzung gehalten.</translation>
    </message>
    <message>
        <source>Removing the key from the system keychain…</source>
        <translation>Der Schlüssel wird aus dem Schlüsselbund des Systems entfernt…</translation>
    </message>
    <message>
        <source>Storing the key in the system keychain…</source>
        <translation>Der Schlüssel wird im Schlüsselbund des Systems gespeichert…</translation>
    </message>
    <message>
        <source>Reading the key from the system keychain…</source>
        <translation>Der Schlüssel wird aus dem Schlüsselbund des Systems gelesen…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ImageView</name>
    <message>
        <source>Nothing to show: the map is empty.</source>
        <translation>Nichts anzuzeigen: Die Karte ist leer.</translation>
    </message>
    <message>
        <source>W %1  L %2</source>
        <translation>W %1  L %2</translation>
    </message>
    <message>
        <source>%1  %2 to %3</source>
        <translation>%1  %2 bis %3</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>kalibriert</translation>
    </message>
    <message>
        <source>detector spacing</source>
        <translation>Detektorabstand</translation>
    </message>
    <message>
        <source>spacing of unknown kind</source>
        <translation>Abstand unbekannter Art</translation>
    </message>
    <message>
        <source>%1 mm (%2)</source>
        <translation>%1 mm (%2)</translation>
    </message>
    <message>
        <source>Modality: %1</source>
        <translation>Modalität: %1</translation>
    </message>
    <message>
        <source>Study: %1</source>
        <translation>Studie: %1</translation>
    </message>
    <message>
        <source>Series: %1</source>
        <translation>Serie: %1</translation>
    </message>
    <message>
        <source>Size: %1 × %2</source>
        <translation>Größe: %1 × %2</translation>
    </message>
    <message>
        <source>Frame %1 of %2</source>
        <translation>Frame %1 von %2</translation>
    </message>
    <message>
        <source>Format: %1 %2</source>
        <translation>Format: %1 %2</translation>
    </message>
    <message>
        <source>x %1  y %2  value %3%4</source>
        <translation>x %1  y %2  Wert %3%4</translation>
    </message>
    <message>
        <source>Slice %1/%2</source>
        <translation>Schicht %1/%2</translation>
    </message>
</context>
<context>
    <name>medvae::ui::InspectionController</name>
    <message>
        <source>No model loaded yet; the image is computed once one is.</source>
        <translation>Noch kein Modell geladen; das Bild wird berechnet, sobald eines geladen ist.</translation>
    </message>
    <message>
        <source>Queued: %1</source>
        <translation>In Warteschlange: %1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Last: %1</source>
        <translation>Zuletzt: %1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Lade %1 herunter…</translation>
    </message>
    <message>
        <source>Encoding and decoding %1…</source>
        <translation>Kodiere und dekodiere %1…</translation>
    </message>
    <message>
        <source>Comparing %1…</source>
        <translation>Vergleiche %1…</translation>
    </message>
    <message>
        <source>Preparing the views of %1…</source>
        <translation>Ansichten von %1 werden vorbereitet…</translation>
    </message>
    <message>
        <source>nothing was prepared to show</source>
        <translation>es wurde nichts zur Anzeige vorbereitet</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>This backend returned no reconstruction.</source>
        <translation>Dieses Backend lieferte keine Rekonstruktion.</translation>
    </message>
    <message>
        <source>load %1 s · model %2 s · total %3 s</source>
        <translation>Laden %1 s · Modell %2 s · gesamt %3 s</translation>
    </message>
    <message numerus="yes">
        <source> · endpoint %1: %2 ms, %n retries</source>
        <translation>
            <numerusform> · Endpunkt %1: %2 ms, %n Wiederholung</numerusform>
            <numerusform> · Endpunkt %1: %2 ms, %n Wiederholungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 × %3, latent %4 × %5 × %6%7</source>
        <translation>%1: %2 × %3, Latent %4 × %5 × %6%7</translation>
    </message>
    <message>
        <source> (demo model)</source>
        <translation> (Demomodell)</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Wird berechnet…</translation>
    </message>
    <message>
        <source>Cancelled — no result</source>
        <translation>Abgebrochen — kein Ergebnis</translation>
    </message>
    <message>
        <source>Model B: %1</source>
        <translation>Modell B: %1</translation>
    </message>
</context>
<context>
    <name>medvae::ui::JobStatusBar</name>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 vergangen</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>wird geschätzt…</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>noch etwa %1</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Systemstandard</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLab</name>
    <message>
        <source>B&apos;s z is %1 but A&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>Das z von B ist %1, das von A %2: Die Interpolation braucht zwei z gleicher Form (Bilder gleicher Größe, vom selben Modell kodiert).</translation>
    </message>
    <message>
        <source>Load a model first: a z is read for the model that decodes it.</source>
        <translation>Laden Sie zuerst ein Modell: Ein z wird für das Modell gelesen, das es dekodiert.</translation>
    </message>
    <message>
        <source>%1 is larger than 256 MB, too large for a z.</source>
        <translation>%1 ist größer als 256 MB, zu groß für ein z.</translation>
    </message>
    <message>
        <source>The image shown has no z (a remote endpoint returns only the latent).</source>
        <translation>Das angezeigte Bild hat kein z (ein entfernter Endpunkt liefert nur den Latent).</translation>
    </message>
    <message>
        <source>Load a model to decode.</source>
        <translation>Laden Sie ein Modell, um zu dekodieren.</translation>
    </message>
    <message>
        <source>Nothing decoded yet to export.</source>
        <translation>Noch nichts dekodiert, das exportiert werden könnte.</translation>
    </message>
    <message>
        <source>The inputs changed since the result shown was decoded; wait for the new decode.</source>
        <translation>Die Eingaben haben sich seit der angezeigten Dekodierung geändert; warten Sie auf die neue.</translation>
    </message>
    <message>
        <source>An export is being written; wait for it to finish.</source>
        <translation>Ein Export wird gerade geschrieben; warten Sie, bis er fertig ist.</translation>
    </message>
    <message>
        <source>A&apos;s z is %1 but B&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>Das z von A ist %1, das von B %2: Die Interpolation braucht zwei z gleicher Form (Bilder gleicher Größe, vom selben Modell kodiert).</translation>
    </message>
    <message>
        <source>%1 looks like a stage-2 latent: the decoder takes z (the _z.npy file), so its decode is not a faithful reconstruction.</source>
        <translation>%1 scheint ein Stufe-2-Latent zu sein: Der Decoder nimmt z (die _z.npy-Datei), daher ist seine Dekodierung keine getreue Rekonstruktion.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLabPanel</name>
    <message>
        <source>Open z</source>
        <translation>z öffnen</translation>
    </message>
    <message>
        <source>z arrays (*_z.npy *.npy)</source>
        <translation>z-Arrays (*_z.npy *.npy)</translation>
    </message>
    <message>
        <source>Export edited z, decode and recipe</source>
        <translation>Bearbeitetes z, Dekodierung und Rezept exportieren</translation>
    </message>
    <message>
        <source>Latent recipes (*_recipe.json)</source>
        <translation>Latent-Rezepte (*_recipe.json)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s).</source>
        <translation>
            <numerusform>%n Datei exportiert.</numerusform>
            <numerusform>%n Dateien exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>Decoding… (the view shows the last finished decode)</source>
        <translation>Dekodiere… (die Ansicht zeigt die letzte fertige Dekodierung)</translation>
    </message>
    <message>
        <source>Largest change from the edits: %1 (model space, -1 to 1)</source>
        <translation>Größte Änderung durch die Bearbeitungen: %1 (Modellraum, -1 bis 1)</translation>
    </message>
    <message>
        <source>Open a z file, or take the z of the image shown in Inspect.</source>
        <translation>Öffnen Sie eine z-Datei oder übernehmen Sie das z des in „Untersuchen“ angezeigten Bildes.</translation>
    </message>
    <message>
        <source>Decoding takes z (the _z.npy file); the stage-2 latent (_latent.npy) is the input for downstream models and does not decode faithfully. On the CPU a full-size model takes seconds per decode.</source>
        <translation>Dekodiert wird z (die Datei _z.npy); der Stufe-2-Latent (_latent.npy) ist die Eingabe für nachgelagerte Modelle und wird nicht originalgetreu dekodiert. Auf der CPU braucht ein Modell voller Größe Sekunden pro Dekodierung.</translation>
    </message>
    <message>
        <source>Open z…</source>
        <translation>z öffnen…</translation>
    </message>
    <message>
        <source>From Inspect</source>
        <translation>Aus „Untersuchen“</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Spherical (slerp)</source>
        <translation>Sphärisch (Slerp)</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Skalieren</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <source>Zero</source>
        <translation>Nullen</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>Tauschen</translation>
    </message>
    <message>
        <source>Add noise</source>
        <translation>Rauschen addieren</translation>
    </message>
    <message>
        <source>channel </source>
        <translation>Kanal </translation>
    </message>
    <message>
        <source>with </source>
        <translation>mit </translation>
    </message>
    <message>
        <source>value </source>
        <translation>Wert </translation>
    </message>
    <message>
        <source>seed </source>
        <translation>Seed </translation>
    </message>
    <message>
        <source>Add edit</source>
        <translation>Bearbeitung hinzufügen</translation>
    </message>
    <message>
        <source>Remove edit</source>
        <translation>Bearbeitung entfernen</translation>
    </message>
    <message>
        <source>PNG 8-bit</source>
        <translation>PNG 8 Bit</translation>
    </message>
    <message>
        <source>PNG 16-bit</source>
        <translation>PNG 16 Bit</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Decoded (edited z)</source>
        <translation>Dekodiert (bearbeitetes z)</translation>
    </message>
    <message>
        <source>Difference to the unedited decode</source>
        <translation>Unterschied zur unbearbeiteten Dekodierung</translation>
    </message>
    <message>
        <source>Reading the z file…</source>
        <translation>Die z-Datei wird gelesen…</translation>
    </message>
    <message>
        <source>Writing the export…</source>
        <translation>Der Export wird geschrieben…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentMaps</name>
    <message>
        <source>no array</source>
        <translation>kein Array</translation>
    </message>
    <message>
        <source>expected an array of shape [C, h, w], got %1 dimensions</source>
        <translation>Array der Form [C, h, w] erwartet, %1 Dimensionen erhalten</translation>
    </message>
    <message>
        <source>the array is empty</source>
        <translation>das Array ist leer</translation>
    </message>
    <message>
        <source>the array is too large to show (%1 × %2 × %3)</source>
        <translation>das Array ist zu groß zur Anzeige (%1 × %2 × %3)</translation>
    </message>
    <message>
        <source>the array is not floating point</source>
        <translation>das Array ist keine Gleitkommazahl</translation>
    </message>
    <message>
        <source>Cannot show the latent: %1.</source>
        <translation>Das Latent kann nicht angezeigt werden: %1.</translation>
    </message>
    <message>
        <source>its shape differs from the latent&apos;s</source>
        <translation>seine Form unterscheidet sich von der des Latents</translation>
    </message>
    <message>
        <source>Cannot show z: %1.</source>
        <translation>z kann nicht angezeigt werden: %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentPanel</name>
    <message>
        <source>latent</source>
        <translation>Latent</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <source>Colormap:</source>
        <translation>Farbskala:</translation>
    </message>
    <message>
        <source>gray</source>
        <translation>grau</translation>
    </message>
    <message>
        <source>viridis</source>
        <translation>viridis</translation>
    </message>
    <message>
        <source>magma</source>
        <translation>magma</translation>
    </message>
    <message>
        <source>diverging (0 = white)</source>
        <translation>divergierend (0 = weiß)</translation>
    </message>
    <message>
        <source>Shared range</source>
        <translation>Gemeinsamer Bereich</translation>
    </message>
    <message>
        <source>Per-channel range</source>
        <translation>Bereich je Kanal</translation>
    </message>
    <message>
        <source>Percentiles:</source>
        <translation>Perzentile:</translation>
    </message>
    <message>
        <source>Lower clipping percentile</source>
        <translation>Unteres Clipping-Perzentil</translation>
    </message>
    <message>
        <source>Upper clipping percentile</source>
        <translation>Oberes Clipping-Perzentil</translation>
    </message>
    <message>
        <source>Composite R G B:</source>
        <translation>Komposit R G B:</translation>
    </message>
    <message>
        <source>False-colour composite of three channels, each scaled to its own percentile range</source>
        <translation>Falschfarben-Komposit aus drei Kanälen, jeder auf seinen eigenen Perzentilbereich skaliert</translation>
    </message>
    <message>
        <source>Export channel PNG…</source>
        <translation>Kanal als PNG exportieren…</translation>
    </message>
    <message>
        <source>Export grid PNG…</source>
        <translation>Raster als PNG exportieren…</translation>
    </message>
    <message>
        <source>Export .npy…</source>
        <translation>.npy exportieren…</translation>
    </message>
    <message>
        <source>Channel %1</source>
        <translation>Kanal %1</translation>
    </message>
    <message>
        <source>z (stage 1): the autoencoder&apos;s latent, what decode takes to reconstruct the image.</source>
        <translation>z (Stufe 1): das Latent des Autoencoders, aus dem die Dekodierung das Bild rekonstruiert.</translation>
    </message>
    <message>
        <source>latent (stage 2): what the model card&apos;s endpoint returns, the input for downstream models.</source>
        <translation>Latent (Stufe 2): was der Endpunkt der Model Card liefert, die Eingabe für nachgelagerte Modelle.</translation>
    </message>
    <message>
        <source>Stage 2 latent, as the model card&apos;s endpoint returns it</source>
        <translation>Latent der Stufe 2, wie der Endpunkt der Model Card es liefert</translation>
    </message>
    <message>
        <source>z is not available for this result: remote endpoints return only the latent</source>
        <translation>z ist für dieses Ergebnis nicht verfügbar: Entfernte Endpunkte liefern nur das Latent</translation>
    </message>
    <message>
        <source>Stage 1 latent z, the input of decode</source>
        <translation>Latent z der Stufe 1, die Eingabe der Dekodierung</translation>
    </message>
    <message>
        <source>min %1  max %2</source>
        <translation>min %1  max %2</translation>
    </message>
    <message>
        <source>mean %1  std %2</source>
        <translation>Mittel %1  Std. %2</translation>
    </message>
    <message>
        <source>shown %1 to %2</source>
        <translation>angezeigt %1 bis %2</translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s)</source>
        <translation>
            <numerusform>%n nicht endlicher Wert</numerusform>
            <numerusform>%n nicht endliche Werte</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 composite (x %2, y %3): %4</source>
        <translation>%1 Komposit (x %2, y %3): %4</translation>
    </message>
    <message>
        <source>%1 channel %2 (x %3, y %4): %5</source>
        <translation>%1 Kanal %2 (x %3, y %4): %5</translation>
    </message>
    <message>
        <source>Export channel as PNG</source>
        <translation>Kanal als PNG exportieren</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Export grid as PNG</source>
        <translation>Raster als PNG exportieren</translation>
    </message>
    <message>
        <source>Export array as .npy</source>
        <translation>Array als .npy exportieren</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>NumPy-Arrays (*.npy)</translation>
    </message>
    <message>
        <source>The latent channels appear here once an image is computed.</source>
        <translation>Die latenten Kanäle erscheinen hier, sobald ein Bild berechnet ist.</translation>
    </message>
    <message>
        <source>Channels %1, %2, %3 as RGB</source>
        <translation>Kanäle %1, %2, %3 als RGB</translation>
    </message>
</context>
<context>
    <name>medvae::ui::MainWindow</name>
    <message>
        <source>Load checkpoint</source>
        <translation>Checkpoint laden</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>MedVAE Studio</source>
        <translation>MedVAE Studio</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>Untersuchen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Images…</source>
        <translation>Bilder ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open image files (PNG, JPEG, TIFF, DICOM, …)</source>
        <translation>Bilddateien öffnen (PNG, JPEG, TIFF, DICOM, …)</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>&amp;Ordner öffnen…</translation>
    </message>
    <message>
        <source>Open &amp;URL…</source>
        <translation>&amp;URL öffnen…</translation>
    </message>
    <message>
        <source>&amp;Paste Image or Path</source>
        <translation>Bild oder Pfad &amp;einfügen</translation>
    </message>
    <message>
        <source>Load &amp;Checkpoint…</source>
        <translation>&amp;Checkpoint laden…</translation>
    </message>
    <message>
        <source>&amp;Close Image</source>
        <translation>Bild &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>&amp;Recompute</source>
        <translation>&amp;Neu berechnen</translation>
    </message>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>Auftrag &amp;abbrechen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About MedVAE Studio</source>
        <translation>Ü&amp;ber MedVAE Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>No images found in what was opened.</source>
        <translation>Im Geöffneten wurden keine Bilder gefunden.</translation>
    </message>
    <message>
        <source>Open Images</source>
        <translation>Bilder öffnen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>Open URL</source>
        <translation>URL öffnen</translation>
    </message>
    <message>
        <source>Image address (http, https or data: URI):</source>
        <translation>Bildadresse (http, https oder data:-URI):</translation>
    </message>
    <message>
        <source>The clipboard holds no image, path or address.</source>
        <translation>Die Zwischenablage enthält kein Bild, keinen Pfad und keine Adresse.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;Inspect what MedVAE medical-image autoencoders keep and lose: latents, reconstructions and their errors.&lt;/p&gt;&lt;p&gt;The bundled demo model was trained by this project and is not MedVAE&apos;s published weights.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bundled parts and their licences&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — zlib licence&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Sample images and the demo model&apos;s training data: Colin27 T1 templates (Holmes et al. 1998, as distributed with MRIcron) — BSD-3-Clause, Copyright 2006-2010 Chris Rorden.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;Untersuchen Sie, was die MedVAE-Autoencoder für medizinische Bilder bewahren und verlieren: Latents, Rekonstruktionen und ihre Fehler.&lt;/p&gt;&lt;p&gt;Das mitgelieferte Demomodell wurde von diesem Projekt trainiert und ist nicht die veröffentlichten Gewichte von MedVAE.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Mitgelieferte Bestandteile und ihre Lizenzen&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — zlib-Lizenz&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Beispielbilder und Trainingsdaten des Demomodells: Colin27-T1-Vorlagen (Holmes et al. 1998, wie mit MRIcron verteilt) — BSD-3-Clause, Copyright 2006-2010 Chris Rorden.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About MedVAE Studio</source>
        <translation>Über MedVAE Studio</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>&amp;Local Engine</source>
        <translation>&amp;Lokale Engine</translation>
    </message>
    <message>
        <source>Remote &amp;Endpoint (Active Profile)</source>
        <translation>Entfernter &amp;Endpunkt (aktives Profil)</translation>
    </message>
    <message>
        <source>Endpoint &amp;Profiles…</source>
        <translation>Endpunkt-&amp;Profile…</translation>
    </message>
    <message>
        <source>Latent lab</source>
        <translation>Latent-Labor</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>Kein aktives Endpunkt-Profil: Wählen Sie eines unter Ausführen ▸ Endpunkt-Profile.</translation>
    </message>
    <message>
        <source>P&amp;ACS Browser…</source>
        <translation>P&amp;ACS-Browser…</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n file(s) to group series…</source>
        <translation>
            <numerusform>Lese %n Datei, um Serien zu gruppieren…</numerusform>
            <numerusform>Lese %n Dateien, um Serien zu gruppieren…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelBChooser</name>
    <message>
        <source>&lt;b&gt;Compare with a second model (B)&lt;/b&gt;</source>
        <translation>&lt;b&gt;Mit einem zweiten Modell (B) vergleichen&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Off: the Inspect tab shows the loaded model alone.</source>
        <translation>Aus: Der Tab „Untersuchen“ zeigt das geladene Modell allein.</translation>
    </message>
    <message>
        <source>Model B: %1. The Inspect tab shows A and B side by side.</source>
        <translation>Modell B: %1. Der Tab „Untersuchen“ zeigt A und B nebeneinander.</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>Vergleichen mit…</translation>
    </message>
    <message>
        <source>Choose a second checkpoint; it must take the same input channels as the loaded model (its factor and latent channels may differ).</source>
        <translation>Einen zweiten Checkpoint wählen; er muss dieselben Eingabekanäle wie das geladene Modell haben (Faktor und latente Kanäle dürfen abweichen).</translation>
    </message>
    <message>
        <source>Stop comparing</source>
        <translation>Vergleich beenden</translation>
    </message>
    <message>
        <source>Compare with checkpoint</source>
        <translation>Mit Checkpoint vergleichen</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Model B: the endpoint %1. The Inspect tab shows A and B side by side.</source>
        <translation>Modell B: der Endpunkt %1. Der Tab „Untersuchen“ zeigt A und B nebeneinander.</translation>
    </message>
    <message>
        <source>Compare with the endpoint…</source>
        <translation>Mit dem Endpunkt vergleichen…</translation>
    </message>
    <message>
        <source>No endpoint profile is active: add one in Run ▸ Endpoint Profiles.</source>
        <translation>Kein Endpunkt-Profil ist aktiv: Fügen Sie eines unter Ausführen ▸ Endpunkt-Profile hinzu.</translation>
    </message>
    <message>
        <source>Compare with the active endpoint profile %1 (images are sent to it).</source>
        <translation>Mit dem aktiven Endpunkt-Profil %1 vergleichen (Bilder werden dorthin gesendet).</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelPanel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Load checkpoint file…</source>
        <translation>Checkpoint-Datei laden…</translation>
    </message>
    <message>
        <source>MedVAE checkpoints in the Hugging Face cache:</source>
        <translation>MedVAE-Checkpoints im Hugging-Face-Cache:</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Look again in %1</source>
        <translation>Erneut in %1 suchen</translation>
    </message>
    <message>
        <source>Download MedVAE weights from Hugging Face:</source>
        <translation>MedVAE-Gewichte von Hugging Face herunterladen:</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>CUDA is unavailable: this build of LibTorch has no CUDA support or no GPU was found.</source>
        <translation>CUDA ist nicht verfügbar: Diese LibTorch-Version unterstützt kein CUDA oder es wurde keine GPU gefunden.</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Genauigkeit:</translation>
    </message>
    <message>
        <source>float32 (exact)</source>
        <translation>float32 (exakt)</translation>
    </message>
    <message>
        <source>bfloat16 (faster, approximate)</source>
        <translation>bfloat16 (schneller, näherungsweise)</translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation>CPU-Threads:</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>alle Kerne</translation>
    </message>
    <message>
        <source>Sample z from the posterior (otherwise its mean)</source>
        <translation>z aus der Posterior-Verteilung ziehen (sonst deren Mittelwert)</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Startwert:</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo model&lt;/b&gt; trained by this project — not MedVAE&apos;s published weights.&lt;br&gt;</source>
        <translation>&lt;b&gt;Demomodell&lt;/b&gt;, von diesem Projekt trainiert — nicht die veröffentlichten Gewichte von MedVAE.&lt;br&gt;</translation>
    </message>
    <message>
        <source>Variant: %1&lt;br&gt;Factor: %2 per side&lt;br&gt;Channels: %3 in, %4 latent&lt;br&gt;</source>
        <translation>Variante: %1&lt;br&gt;Faktor: %2 je Seite&lt;br&gt;Kanäle: %3 Eingabe, %4 Latent&lt;br&gt;</translation>
    </message>
    <message>
        <source>Parameters: %1&lt;br&gt;</source>
        <translation>Parameter: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Device: %1&lt;br&gt;Precision: %2&lt;br&gt;</source>
        <translation>Gerät: %1&lt;br&gt;Genauigkeit: %2&lt;br&gt;</translation>
    </message>
    <message>
        <source>File: %1&lt;br&gt;</source>
        <translation>Datei: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>SHA-256: %1</source>
        <translation>SHA-256: %1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>Das Modell konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Load checkpoint</source>
        <translation>Checkpoint laden</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Lade %1 herunter…</translation>
    </message>
    <message>
        <source>Downloaded to %1
SHA-256: %2</source>
        <translation>Heruntergeladen nach %1
SHA-256: %2</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept.</source>
        <translation>Download abgebrochen; nichts wurde behalten.</translation>
    </message>
    <message>
        <source>Download failed: %1</source>
        <translation>Download fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Sample z</source>
        <translation>z ziehen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Remote endpoint&lt;/b&gt;: images are encoded on %1, not on this computer.&lt;br&gt;</source>
        <translation>&lt;b&gt;Entfernter Endpunkt&lt;/b&gt;: Bilder werden auf %1 kodiert, nicht auf diesem Computer.&lt;br&gt;</translation>
    </message>
    <message>
        <source>Deployment: %1&lt;br&gt;</source>
        <translation>Bereitstellung: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Channels: %1 in, %2 latent&lt;br&gt;</source>
        <translation>Kanäle: %1 ein, %2 latent&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: none yet&lt;br&gt;</source>
        <translation>Letzter Umlauf: noch keiner&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: %1 ms&lt;br&gt;</source>
        <translation>Letzter Umlauf: %1 ms&lt;br&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;The endpoint returns the reconstruction clamped and rounded to 8 bits, so PSNR and SSIM differ slightly from the local engine&apos;s.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Der Endpunkt liefert die Rekonstruktion begrenzt und auf 8 Bit gerundet, daher weichen PSNR und SSIM leicht von denen der lokalen Engine ab.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Applies to the local engine only.</source>
        <translation>Gilt nur für die lokale Engine.</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>keine gefunden</translation>
    </message>
    <message>
        <source>Looked in %1</source>
        <translation>Gesucht in %1</translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation>CUDA-Gerät %1</translation>
    </message>
    <message>
        <source>float16 (CUDA only, approximate)</source>
        <translation>float16 (nur CUDA, genähert)</translation>
    </message>
    <message>
        <source>float16: the fastest, approximate; on CUDA devices only</source>
        <translation>float16: am schnellsten, genähert; nur auf CUDA-Geräten</translation>
    </message>
    <message>
        <source>Tiled (approximate)</source>
        <translation>Gekachelt (Näherung)</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Tiled: tiles of %1 px, %2 px overlap (approximate results)&lt;br&gt;</source>
        <translation>Gekachelt: Kacheln von %1 px, %2 px Überlappung (genäherte Ergebnisse)&lt;br&gt;</translation>
    </message>
    <message>
        <source>For images too large for this computer&apos;s memory: overlapping tiles, blended. The result is an approximation of the exact one and says how far the tiles disagreed.</source>
        <translation>Für Bilder, die für den Arbeitsspeicher dieses Computers zu groß sind: überlappende Kacheln, überblendet. Das Ergebnis ist eine Näherung des exakten und gibt an, wie weit die Kacheln voneinander abwichen.</translation>
    </message>
    <message>
        <source>Not with tiles: each tile would draw its own noise.</source>
        <translation>Nicht mit Kacheln: Jede Kachel zöge ihr eigenes Rauschen.</translation>
    </message>
    <message>
        <source>Tile size</source>
        <translation>Kachelgröße</translation>
    </message>
    <message>
        <source>Tile size: the side of each tile in pixels</source>
        <translation>Kachelgröße: die Seitenlänge jeder Kachel in Pixeln</translation>
    </message>
</context>
<context>
    <name>medvae::ui::PacsBrowser</name>
    <message>
        <source>&amp;Servers…</source>
        <translation>&amp;Server…</translation>
    </message>
    <message>
        <source>Archive:</source>
        <translation>Archiv:</translation>
    </message>
    <message>
        <source>Searc&amp;h</source>
        <translation>Suc&amp;hen</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>höchstens </translation>
    </message>
    <message>
        <source> studies</source>
        <translation> Studien</translation>
    </message>
    <message>
        <source>Ne&amp;xt page</source>
        <translation>&amp;Nächste Seite</translation>
    </message>
    <message>
        <source>Retrieving: %1 of %2 instances (%3 MB)…</source>
        <translation>Abruf: %1 von %2 Instanzen (%3 MB)…</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>Patientenname</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>Patienten-ID</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <source>Study date</source>
        <translation>Studiendatum</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>Modalitäten</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>Auftragsnummer</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Serien</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalität</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>Instanzen</translation>
    </message>
    <message>
        <source>&amp;Retrieve series</source>
        <translation>Serie &amp;abrufen</translation>
    </message>
    <message>
        <source>Retrieve s&amp;tudy</source>
        <translation>S&amp;tudie abrufen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>C&amp;lear cache</source>
        <translation>Cache &amp;leeren</translation>
    </message>
    <message>
        <source>Add a PACS server first (Servers…).</source>
        <translation>Fügen Sie zuerst einen PACS-Server hinzu (Server…).</translation>
    </message>
    <message>
        <source>Searching %1…</source>
        <translation>%1 wird durchsucht…</translation>
    </message>
    <message>
        <source>No studies match.</source>
        <translation>Keine Studie passt.</translation>
    </message>
    <message>
        <source>Studies %1–%2 shown; more match (Next page, or narrow the search).</source>
        <translation>Studien %1–%2 angezeigt; weitere passen (Nächste Seite, oder die Suche eingrenzen).</translation>
    </message>
    <message>
        <source>Studies %1–%2 (the last).</source>
        <translation>Studien %1–%2 (die letzten).</translation>
    </message>
    <message>
        <source>Listing the series…</source>
        <translation>Serien werden aufgelistet…</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>Keine Vorschau: %1</translation>
    </message>
    <message>
        <source>Retrieving…</source>
        <translation>Abruf läuft…</translation>
    </message>
    <message>
        <source>Cancelling the retrieval…</source>
        <translation>Abruf wird abgebrochen…</translation>
    </message>
    <message>
        <source>Retrieved; the images are in the Images list.</source>
        <translation>Abgerufen; die Bilder stehen in der Bilderliste.</translation>
    </message>
    <message>
        <source>The cache of retrieved images is empty.</source>
        <translation>Der Cache der abgerufenen Bilder ist leer.</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>Gefundene Studien: %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::RecentSources</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>Clear Recent</source>
        <translation>Liste leeren</translation>
    </message>
</context>
<context>
    <name>medvae::ui::SourceOpener</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Opened the first %1 images; %2 more were left out.</source>
        <translation>Die ersten %1 Bilder wurden geöffnet; %2 weitere wurden ausgelassen.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::StudyQueryForm</name>
    <message>
        <source>Study &amp;date from</source>
        <translation>Studien&amp;datum von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Patient &amp;ID:</source>
        <translation>Patienten-&amp;ID:</translation>
    </message>
    <message>
        <source>Patient &amp;name:</source>
        <translation>Patienten&amp;name:</translation>
    </message>
    <message>
        <source>&amp;Modality:</source>
        <translation>&amp;Modalität:</translation>
    </message>
    <message>
        <source>A&amp;ccession number:</source>
        <translation>Auftragsnummer (&amp;Accession):</translation>
    </message>
    <message>
        <source>Study d&amp;escription:</source>
        <translation>Studienb&amp;eschreibung:</translation>
    </message>
</context>
<context>
    <name>medvae::ui::WindowedImage</name>
    <message>
        <source>Soft tissue</source>
        <translation>Weichteile</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>Lunge</translation>
    </message>
    <message>
        <source>Liver</source>
        <translation>Leber</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>Knochen</translation>
    </message>
    <message>
        <source>Brain</source>
        <translation>Gehirn</translation>
    </message>
    <message>
        <source>File window %1</source>
        <translation>Fenster %1 aus der Datei</translation>
    </message>
    <message>
        <source>Full range (0.1-99.9 %)</source>
        <translation>Gesamter Bereich (0,1–99,9 %)</translation>
    </message>
    <message>
        <source>%1 (W %2 / L %3)</source>
        <translation>%1 (W %2 / L %3)</translation>
    </message>
</context>
</TS>
