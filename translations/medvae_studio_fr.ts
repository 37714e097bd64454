<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>ErrorWording</name>
    <message>
        <source>&apos;%1&apos; does not exist (and is not an http(s)/file/data URL or base64 data)</source>
        <translation>« %1 » n&apos;existe pas (et n&apos;est ni une URL http(s)/file/data ni des données base64)</translation>
    </message>
    <message>
        <source>cannot open &apos;%1&apos;: %2</source>
        <translation>impossible d&apos;ouvrir « %1 » : %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is empty (0 bytes)</source>
        <translation>« %1 » est vide (0 octet)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an image this program can read (unrecognised contents)</source>
        <translation>« %1 » n&apos;est pas une image que ce programme sait lire (contenu non reconnu)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a readable DICOM file (%2)</source>
        <translation>« %1 » n&apos;est pas un fichier DICOM lisible (%2)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a DICOM file without pixel data</source>
        <translation>« %1 » est un fichier DICOM sans données de pixels</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is neither a PyTorch checkpoint (zip) nor a safetensors file (unrecognised contents; is it truncated or a different kind of file?)</source>
        <translation>« %1 » n&apos;est ni un point de contrôle PyTorch (zip) ni un fichier safetensors (contenu non reconnu ; est-il tronqué ou d&apos;un autre type ?)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a checkpoint in PyTorch&apos;s legacy (pre-1.6) format, which is not supported; load it in Python and save it again with torch.save</source>
        <translation>« %1 » est un point de contrôle à l&apos;ancien format PyTorch (avant 1.6), non pris en charge ; chargez-le dans Python et enregistrez-le à nouveau avec torch.save</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: out of memory while reading the checkpoint</source>
        <translation>« %1 » : mémoire insuffisante pendant la lecture du point de contrôle</translation>
    </message>
    <message>
        <source>Connection refused by %1: nothing listens there (check the port, or whether the server runs)</source>
        <translation>Connexion refusée par %1 : rien n&apos;y écoute (vérifiez le port, ou que le serveur tourne)</translation>
    </message>
    <message>
        <source>DNS: the host name &apos;%1&apos; could not be resolved; check the scoring URI and the network</source>
        <translation>DNS : le nom d&apos;hôte « %1 » n&apos;a pas pu être résolu ; vérifiez l&apos;URI de scoring et le réseau</translation>
    </message>
    <message>
        <source>Connecting to %1 timed out</source>
        <translation>La connexion à %1 a expiré</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Erreur réseau en communiquant avec %1 : %2</translation>
    </message>
    <message>
        <source>cannot create the output folder &apos;%1&apos;: %2</source>
        <translation>impossible de créer le dossier de sortie « %1 » : %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (%2) would need about %3, over the memory budget of %4; nothing was decoded. Use a smaller image or bfloat16 precision, or raise the budget (--max-memory-gb, or MEDVAE_MAX_MEMORY_GB) if the machine has the memory</source>
        <translation>« %1 » (%2) demanderait environ %3, au-delà du budget mémoire de %4 ; rien n&apos;a été décodé. Utilisez une image plus petite ou la précision bfloat16, ou augmentez le budget (--max-memory-gb, ou MEDVAE_MAX_MEMORY_GB) si la machine a la mémoire</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid DICOM file (%2)</source>
        <translation>« %1 » n&apos;est pas un fichier DICOM valide (%2)</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; reconstructions agree to %4 dB</source>
        <translation>en tuiles : %1 tuiles de %2 px (chevauchement de %3 px), une approximation du résultat exact ; les reconstructions des tuiles qui se chevauchent concordent à %4 dB</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; z differ by %4 of its RMS</source>
        <translation>en tuiles : %1 tuiles de %2 px (chevauchement de %3 px), une approximation du résultat exact ; les z des tuiles qui se chevauchent diffèrent de %4 de leur valeur efficace</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result</source>
        <translation>en tuiles : %1 tuiles de %2 px (chevauchement de %3 px), une approximation du résultat exact</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Images will be sent to the endpoint &quot;%1&quot; at %2 for encoding.

Only pixels leave this machine, re-encoded as PNG: no DICOM header, no file names, no patient data fields. Whoever runs %2 can see the images.%3

Send images to this endpoint?</source>
        <translation>Les images seront envoyées au point de terminaison « %1 » à %2 pour être encodées.

Seuls les pixels quittent cette machine, réencodés en PNG : aucun en-tête DICOM, aucun nom de fichier, aucune donnée patient. Quiconque exploite %2 peut voir les images.%3

Envoyer les images à ce point de terminaison ?</translation>
    </message>
    <message>
        <source> Images opened from a web address are sent as that address, and the endpoint downloads them itself.</source>
        <translation> Les images ouvertes depuis une adresse web sont envoyées sous forme de cette adresse, et le point de terminaison les télécharge lui-même.</translation>
    </message>
    <message>
        <source>Send images to an endpoint?</source>
        <translation>Envoyer des images à un point de terminaison ?</translation>
    </message>
</context>
<context>
    <name>SessionKeyPrompt</name>
    <message>
        <source>The key of the endpoint &quot;%1&quot; cannot be read from the system keychain:
%2

Enter the key to use it for this session only: it is kept in memory and never written, and asked for again after a restart. Leave the field empty if the endpoint takes no key.</source>
        <translation>La clé du point de terminaison « %1 » ne peut pas être lue dans le trousseau du système :
%2

Saisissez la clé pour l’utiliser pendant cette session uniquement : elle est conservée en mémoire, jamais écrite, et redemandée après un redémarrage. Laissez le champ vide si le point de terminaison n’exige pas de clé.</translation>
    </message>
    <message>
        <source>Key for this session</source>
        <translation>Clé pour cette session</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Inspect the latents and reconstructions of MedVAE medical-image autoencoders.</source>
        <translation>Inspecter les latents et les reconstructions des autoencodeurs d&apos;images médicales MedVAE.</translation>
    </message>
    <message>
        <source>Checkpoint to load instead of the remembered one.</source>
        <translation>Checkpoint à charger à la place de celui mémorisé.</translation>
    </message>
    <message>
        <source>Save the window to FILE once the first result is shown, then quit.</source>
        <translation>Enregistrer la fenêtre dans FILE dès le premier résultat affiché, puis quitter.</translation>
    </message>
    <message>
        <source>Image files, folders or URLs.</source>
        <translation>Fichiers image, dossiers ou URL.</translation>
    </message>
</context>
<context>
    <name>medvae::jobs::ModelDownloader</name>
    <message>
        <source>&quot;%1&quot; is not a checkpoint file name.</source>
        <translation>« %1 » n&apos;est pas un nom de fichier de checkpoint.</translation>
    </message>
    <message>
        <source>Cannot download from &quot;%1&quot;: not an http(s) address.</source>
        <translation>Téléchargement impossible depuis « %1 » : ce n&apos;est pas une adresse http(s).</translation>
    </message>
    <message>
        <source>Cannot create the model cache folder %1.</source>
        <translation>Impossible de créer le dossier de cache des modèles %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>The checkpoint is %1, over the download limit of %2.</source>
        <translation>Le checkpoint fait %1, au-delà de la limite de téléchargement de %2.</translation>
    </message>
    <message>
        <source>The download exceeded the limit of %1.</source>
        <translation>Le téléchargement a dépassé la limite de %1.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>The server sent nothing for %1 s; the download was stopped.</source>
        <translation>Le serveur n&apos;a rien envoyé pendant %1 s ; le téléchargement a été arrêté.</translation>
    </message>
    <message>
        <source>The server answered %1 %2 for %3.</source>
        <translation>Le serveur a répondu %1 %2 pour %3.</translation>
    </message>
    <message>
        <source>Download of %1 failed: %2</source>
        <translation>Échec du téléchargement de %1 : %2</translation>
    </message>
    <message>
        <source>The download ended after %1 of %2; the file is incomplete.</source>
        <translation>Le téléchargement s&apos;est arrêté après %1 sur %2 ; le fichier est incomplet.</translation>
    </message>
    <message>
        <source>The server sent an empty file.</source>
        <translation>Le serveur a envoyé un fichier vide.</translation>
    </message>
    <message>
        <source>Cannot create the folder for %1.</source>
        <translation>Impossible de créer le dossier de %1.</translation>
    </message>
    <message>
        <source>Cannot move the download to %1: %2</source>
        <translation>Impossible de déplacer le téléchargement vers %1 : %2</translation>
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
        <translation>Reconstruction A</translation>
    </message>
    <message>
        <source>Reconstruction A: %1</source>
        <translation>Reconstruction A : %1</translation>
    </message>
    <message>
        <source>Reconstruction B</source>
        <translation>Reconstruction B</translation>
    </message>
    <message>
        <source>Reconstruction B: %1</source>
        <translation>Reconstruction B : %1</translation>
    </message>
    <message>
        <source>Error A |original − A|</source>
        <translation>Erreur A |original − A|</translation>
    </message>
    <message>
        <source>Error B |original − B| (same scale)</source>
        <translation>Erreur B |original − B| (même échelle)</translation>
    </message>
    <message>
        <source>|error A| − |error B|: red where B is closer, blue where A is</source>
        <translation>|erreur A| − |erreur B| : rouge où B est plus proche, bleu où A l’est</translation>
    </message>
    <message>
        <source>The two reconstructions cannot be compared.</source>
        <translation>Les deux reconstructions ne peuvent pas être comparées.</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>valeur du pixel</translation>
    </message>
    <message>
        <source>A and B: one scale</source>
        <translation>A et B : une échelle</translation>
    </message>
    <message>
        <source>Both heatmaps span 0 to the larger of their 99th percentiles of |error|, so that equal colours mean equal errors; larger errors take the top colour.</source>
        <translation>Les deux cartes vont de 0 au plus grand de leurs 99e centiles de |erreur|, afin que des couleurs égales signifient des erreurs égales ; les erreurs plus grandes prennent la couleur du haut.</translation>
    </message>
    <message>
        <source>red: B better
blue: A better</source>
        <translation>rouge : B meilleur
bleu : A meilleur</translation>
    </message>
    <message>
        <source>|error A| − |error B| per pixel, from −p to p (p its 99th percentile of magnitude): positive (red) where B&apos;s reconstruction is closer to the original, negative (blue) where A&apos;s is, white where they are equal.</source>
        <translation>|erreur A| − |erreur B| par pixel, de −p à p (p son 99e centile en valeur absolue) : positif (rouge) où la reconstruction de B est plus proche de l’original, négatif (bleu) où c’est celle de A, blanc où elles sont égales.</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞ (identique)</translation>
    </message>
    <message>
        <source>%1 (%2, %3×, %4 latent channels): PSNR %5 · SSIM %6 · MAE %7 · max error %8</source>
        <translation>%1 (%2, %3×, %4 canaux latents) : PSNR %5 · SSIM %6 · MAE %7 · erreur max. %8</translation>
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
        <translation>B plus proche sur %1 % des pixels, A plus proche sur %2 %</translation>
    </message>
    <message>
        <source>Maps of the area both models reconstructed, %1×%2 of %3×%4 (each model&apos;s output is a multiple of its factor per side); each model&apos;s metrics are over its own area.</source>
        <translation>Cartes de la zone reconstruite par les deux modèles, %1×%2 sur %3×%4 (la sortie de chaque modèle est un multiple de son facteur par côté) ; les métriques de chaque modèle portent sur sa propre zone.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ArchiveProfilesDialog</name>
    <message>
        <source>PACS servers</source>
        <translation>Serveurs PACS</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>Tester la &amp;connexion</translation>
    </message>
    <message>
        <source>DICOMweb: http://host:8042/dicom-web   DIMSE: AET@host:port</source>
        <translation>DICOMweb : http://hôte:8042/dicom-web   DIMSE : AET@hôte:port</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>User and password (Basic)</source>
        <translation>Utilisateur et mot de passe (Basic)</translation>
    </message>
    <message>
        <source>Token (Bearer)</source>
        <translation>Jeton (Bearer)</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>stocké dans le trousseau du système ; laisser vide pour le conserver</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Type :</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>A&amp;dresse :</translation>
    </message>
    <message>
        <source>Calling &amp;AE title (DIMSE):</source>
        <translation>Titre &amp;AE appelant (DIMSE) :</translation>
    </message>
    <message>
        <source>A&amp;uthentication (DICOMweb):</source>
        <translation>A&amp;uthentification (DICOMweb) :</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password or token:</source>
        <translation>&amp;Mot de passe ou jeton :</translation>
    </message>
    <message>
        <source>New archive</source>
        <translation>Nouvelle archive</translation>
    </message>
    <message>
        <source>New archive %1</source>
        <translation>Nouvelle archive %1</translation>
    </message>
    <message>
        <source>Removing the password or token from the system keychain…</source>
        <translation>Suppression du mot de passe ou du jeton du trousseau du système…</translation>
    </message>
    <message>
        <source>A renamed profile needs its password or token typed again.</source>
        <translation>Un profil renommé a besoin que son mot de passe ou son jeton soit saisi à nouveau.</translation>
    </message>
    <message>
        <source>Another profile has that name.</source>
        <translation>Un autre profil porte ce nom.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Storing the password or token in the system keychain…</source>
        <translation>Enregistrement du mot de passe ou du jeton dans le trousseau du système…</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the password or token is kept for this session only, in memory.</source>
        <translation>Enregistré. Aucun trousseau système n’est disponible : le mot de passe ou le jeton est gardé en mémoire pour cette session seulement.</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Test de la connexion…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BackendSwitch</name>
    <message>
        <source>The bundled demo model was not found; load a checkpoint.</source>
        <translation>Le modèle de démonstration fourni est introuvable ; chargez un checkpoint.</translation>
    </message>
    <message>
        <source>Loading model %1…</source>
        <translation>Chargement du modèle %1…</translation>
    </message>
    <message>
        <source>No local model is loaded; load a checkpoint.</source>
        <translation>Aucun modèle local chargé ; chargez un checkpoint.</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>Aucun profil de point de terminaison actif : choisissez-en un dans Exécution ▸ Profils de points de terminaison.</translation>
    </message>
    <message>
        <source>Staying with the local engine.</source>
        <translation>Le moteur local reste utilisé.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <source>Model not loaded: %1</source>
        <translation>Modèle non chargé : %1</translation>
    </message>
    <message>
        <source>Model loaded: %1</source>
        <translation>Modèle chargé : %1</translation>
    </message>
    <message>
        <source>Remote endpoint not available: %1</source>
        <translation>Point de terminaison distant indisponible : %1</translation>
    </message>
    <message>
        <source>Using the remote endpoint %1.</source>
        <translation>Utilisation du point de terminaison distant %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BatchPanel</name>
    <message>
        <source>Add images</source>
        <translation>Ajouter des images</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Ajouter un dossier</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <source>Drop image files, folders (DICOM folders too) or URL lists here.</source>
        <translation>Déposez ici des fichiers image, des dossiers (DICOM aussi) ou des listes d&apos;URL.</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ajouter un dossier…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vider</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
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
        <translation>Durée (s)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>Dossier de sortie :</translation>
    </message>
    <message>
        <source>Folder for latents, images and the manifest</source>
        <translation>Dossier des latents, des images et du manifeste</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>Ouvrir le dossier de sortie</translation>
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
        <translation>Reconstruction (.png)</translation>
    </message>
    <message>
        <source>Error heatmap (.png)</source>
        <translation>Carte d&apos;erreur (.png)</translation>
    </message>
    <message>
        <source>Latent (.nii.gz)</source>
        <translation>Latent (.nii.gz)</translation>
    </message>
    <message>
        <source>Reconstruct and measure</source>
        <translation>Reconstruire et mesurer</translation>
    </message>
    <message>
        <source>Skip finished items</source>
        <translation>Ignorer les éléments terminés</translation>
    </message>
    <message>
        <source>Items already complete in the output folder for the same model and settings are not computed again.</source>
        <translation>Les éléments déjà terminés dans le dossier de sortie pour le même modèle et les mêmes réglages ne sont pas recalculés.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Ignoré</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Doublon</translation>
    </message>
    <message>
        <source>Same input as %1</source>
        <translation>Même entrée que %1</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n élément</numerusform>
            <numerusform>%n éléments</numerusform>
        </translation>
    </message>
    <message>
        <source>Load a model or connect an endpoint first.</source>
        <translation>Chargez d&apos;abord un modèle ou connectez un point de terminaison.</translation>
    </message>
    <message>
        <source>Choose at least one output format.</source>
        <translation>Choisissez au moins un format de sortie.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>, %1 images/s, %2 min %3 s left</source>
        <translation>, %1 images/s, %2 min %3 s restantes</translation>
    </message>
    <message>
        <source> (paused)</source>
        <translation> (en pause)</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>Arrêté : %1</translation>
    </message>
    <message>
        <source>%1 done, %2 skipped, %3 failed, %4 duplicates in %5 s%6</source>
        <translation>%1 terminés, %2 ignorés, %3 en échec, %4 doublons en %5 s%6</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation> (annulé)</translation>
    </message>
    <message>
        <source>The endpoint does not return z (the stage-1 latent).</source>
        <translation>Le point de terminaison ne renvoie pas z (le latent de l&apos;étape 1).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>« %1 » n&apos;existe pas</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>Copier le chemin</translation>
    </message>
    <message>
        <source>Copy the output folder&apos;s path to the clipboard</source>
        <translation>Copier le chemin du dossier de sortie dans le presse-papiers</translation>
    </message>
    <message>
        <source>The output folder %1 does not exist yet; a run creates it.</source>
        <translation>Le dossier de sortie %1 n&apos;existe pas encore ; une exécution le crée.</translation>
    </message>
    <message>
        <source>No file manager could open %1. Copy the path and open it another way.</source>
        <translation>Aucun gestionnaire de fichiers n&apos;a pu ouvrir %1. Copiez le chemin et ouvrez-le autrement.</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>%1 copié</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>Rapport…</translation>
    </message>
    <message>
        <source>Write the batch fidelity report (report.html) into the output folder</source>
        <translation>Écrire le rapport de fidélité du lot (report.html) dans le dossier de sortie</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>Ouvrir le rapport</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Écriture du rapport…</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>Rapport écrit : %1</translation>
    </message>
    <message>
        <source>The report could not be written: %1</source>
        <translation>Le rapport n’a pas pu être écrit : %1</translation>
    </message>
    <message>
        <source>Nothing could open %1.</source>
        <translation>Rien n’a pu ouvrir %1.</translation>
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
        <translation>Reconstruction</translation>
    </message>
    <message>
        <source>Error |original − reconstruction|</source>
        <translation>Erreur |original − reconstruction|</translation>
    </message>
    <message>
        <source>Signed difference (reconstruction − original)</source>
        <translation>Différence signée (reconstruction − original)</translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation>Erreur absolue</translation>
    </message>
    <message>
        <source>Signed difference</source>
        <translation>Différence signée</translation>
    </message>
    <message>
        <source>Heatmap of |original − reconstruction| (magma) or of the signed difference (blue: reconstruction darker, red: brighter)</source>
        <translation>Carte de |original − reconstruction| (magma) ou de la différence signée (bleu : reconstruction plus sombre, rouge : plus claire)</translation>
    </message>
    <message>
        <source>Window presets for the original and the reconstruction</source>
        <translation>Préréglages de fenêtre pour l&apos;original et la reconstruction</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Image information</source>
        <translation>Informations sur l&apos;image</translation>
    </message>
    <message>
        <source>Show modality, descriptions, size and frame on the original (hidden by default so screenshots carry no identifiers)</source>
        <translation>Afficher la modalité, les descriptions, la taille et l&apos;image sur l&apos;original (masqué par défaut pour que les captures ne portent aucun identifiant)</translation>
    </message>
    <message>
        <source>Pad input to the factor</source>
        <translation>Compléter l&apos;entrée au facteur</translation>
    </message>
    <message>
        <source>Pad the input on the right and bottom to a multiple of the model&apos;s factor so that every pixel is reconstructed</source>
        <translation>Compléter l&apos;entrée à droite et en bas jusqu&apos;à un multiple du facteur du modèle pour que chaque pixel soit reconstruit</translation>
    </message>
    <message>
        <source>The reconstruction cannot be compared: its images differ in size.</source>
        <translation>La reconstruction ne peut pas être comparée : ses images n&apos;ont pas la même taille.</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>valeur du pixel</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞ (identique)</translation>
    </message>
    <message>
        <source>PSNR: %1
SSIM: %2
MAE: %3%4
Max error: %5%4
Data range: %6%4</source>
        <translation>PSNR : %1
SSIM : %2
MAE : %3%4
Erreur max. : %5%4
Plage des données : %6%4</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of %5 per side.</source>
        <translation>Zone comparée %1×%2 sur %3×%4 : la sortie du modèle est un multiple de %5 par côté.</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of its downsampling factor per side.</source>
        <translation>Zone comparée %1×%2 sur %3×%4 : la sortie du modèle est un multiple de son facteur de sous-échantillonnage par côté.</translation>
    </message>
    <message>
        <source>x %1  y %2
Original: %3
Reconstruction: %4
Difference: %5</source>
        <translation>x %1  y %2
Original : %3
Reconstruction : %4
Différence : %5</translation>
    </message>
    <message>
        <source>scale: 99th percentile</source>
        <translation>échelle : 99e centile</translation>
    </message>
    <message>
        <source>Colours span −p to p, p the 99th percentile of |reconstruction − original|, so that a few hot pixels do not wash out the map; larger differences take the end colours.</source>
        <translation>Les couleurs vont de −p à p, p étant le 99e centile de |reconstruction − original|, pour que quelques pixels chauds ne délavent pas la carte ; les écarts plus grands prennent les couleurs extrêmes.</translation>
    </message>
    <message>
        <source>Colours span 0 to the 99th percentile of |original − reconstruction|, so that a few hot pixels do not wash out the map; larger errors take the top colour. Batch export&apos;s error PNG uses the same scale.</source>
        <translation>Les couleurs vont de 0 au 99e centile de |original − reconstruction|, pour que quelques pixels chauds ne délavent pas la carte ; les erreurs plus grandes prennent la couleur du haut. Le PNG d’erreur de l’export par lots utilise la même échelle.</translation>
    </message>
    <message>
        <source>Link window</source>
        <translation>Lier la fenêtre</translation>
    </message>
    <message>
        <source>Window/level changes on the original or the reconstruction apply to both</source>
        <translation>Les changements de fenêtre/niveau sur l&apos;original ou la reconstruction s&apos;appliquent aux deux</translation>
    </message>
    <message>
        <source>The reconstruction and its error appear here once an image is computed.</source>
        <translation>La reconstruction et son erreur apparaissent ici dès qu&apos;une image est calculée.</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
    <message>
        <source>No image yet.

File ▸ Open Images… (%1), Open Folder… or Open URL…
or drop image files or a folder on the window
or paste a path, address or image (%2).</source>
        <translation>Aucune image pour l&apos;instant.

Fichier ▸ Ouvrir des images… (%1), Ouvrir un dossier… ou Ouvrir une URL…
ou déposez des fichiers image ou un dossier sur la fenêtre
ou collez un chemin, une adresse ou une image (%2).</translation>
    </message>
</context>
<context>
    <name>medvae::ui::EndpointProfilesDialog</name>
    <message>
        <source>Remote endpoints</source>
        <translation>Points de terminaison distants</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Use as &amp;active</source>
        <translation>Utiliser comme &amp;actif</translation>
    </message>
    <message>
        <source>empty: the endpoint&apos;s traffic split</source>
        <translation>vide : répartition du trafic du point de terminaison</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>stockée dans le trousseau du système ; laisser vide pour la conserver</translation>
    </message>
    <message>
        <source>Send images opened from web addresses as their URL</source>
        <translation>Envoyer les images ouvertes depuis une adresse web sous forme d&apos;URL</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>Scoring &amp;URI:</source>
        <translation>&amp;URI de scoring :</translation>
    </message>
    <message>
        <source>&amp;Deployment:</source>
        <translation>&amp;Déploiement :</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Clé :</translation>
    </message>
    <message>
        <source>&amp;Timeout per request:</source>
        <translation>&amp;Délai par requête :</translation>
    </message>
    <message>
        <source>Re&amp;tries:</source>
        <translation>&amp;Nouvelles tentatives :</translation>
    </message>
    <message>
        <source>Requests in &amp;flight:</source>
        <translation>Requêtes &amp;simultanées :</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>Tester la &amp;connexion</translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation>%1 (actif)</translation>
    </message>
    <message>
        <source>New endpoint</source>
        <translation>Nouveau point de terminaison</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>Un profil doit avoir un nom.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Testing %1 ...</source>
        <translation>Test de %1…</translation>
    </message>
    <message>
        <source>The profile was removed; its key could not be removed from the keychain: %1</source>
        <translation>Le profil a été supprimé ; sa clé n’a pas pu être supprimée du trousseau : %1</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the key is kept for this session only: in memory, never written. You will be asked for it again after a restart.</source>
        <translation>Enregistré. Aucun trousseau système n’est disponible : la clé est conservée pour cette session uniquement, en mémoire, jamais écrite. Elle vous sera redemandée après un redémarrage.</translation>
    </message>
    <message>
        <source>Type the key in the Key field and save: it is then kept for this session only.</source>
        <translation>Saisissez la clé dans le champ Clé et enregistrez : elle est alors conservée pour cette session uniquement.</translation>
    </message>
    <message>
        <source>Removing the key from the system keychain…</source>
        <translation>Suppression de la clé du trousseau du système…</translation>
    </message>
    <message>
        <source>Storing the key in the system keychain…</source>
        <translation>Enregistrement de la clé dans le trousseau du système…</translation>
    </message>
    <message>
        <source>Reading the key from the system keychain…</source>
        <translation>Lecture de la clé dans le trousseau du système…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ImageView</name>
    <message>
        <source>Nothing to show: the map is empty.</source>
        <translation>Rien à afficher : la carte est vide.</translation>
    </message>
    <message>
        <source>W %1  L %2</source>
        <translation>L %1  N %2</translation>
    </message>
    <message>
        <source>%1  %2 to %3</source>
        <translation>%1  %2 à %3</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>calibré</translation>
    </message>
    <message>
        <source>detector spacing</source>
        <translation>pas au détecteur</translation>
    </message>
    <message>
        <source>spacing of unknown kind</source>
        <translation>pas de nature inconnue</translation>
    </message>
    <message>
        <source>%1 mm (%2)</source>
        <translation>%1 mm (%2)</translation>
    </message>
    <message>
        <source>Modality: %1</source>
        <translation>Modalité : %1</translation>
    </message>
    <message>
        <source>Study: %1</source>
        <translation>Étude : %1</translation>
    </message>
    <message>
        <source>Series: %1</source>
        <translation>Série : %1</translation>
    </message>
    <message>
        <source>Size: %1 × %2</source>
        <translation>Taille : %1 × %2</translation>
    </message>
    <message>
        <source>Frame %1 of %2</source>
        <translation>Image %1 sur %2</translation>
    </message>
    <message>
        <source>Format: %1 %2</source>
        <translation>Format : %1 %2</translation>
    </message>
    <message>
        <source>x %1  y %2  value %3%4</source>
        <translation>x %1  y %2  valeur %3%4</translation>
    </message>
    <message>
        <source>Slice %1/%2</source>
        <translation>Coupe %1/%2</translation>
    </message>
</context>
<context>
    <name>medvae::ui::InspectionController</name>
    <message>
        <source>No model loaded yet; the image is computed once one is.</source>
        <translation>Aucun modèle chargé ; l&apos;image sera calculée dès qu&apos;un modèle le sera.</translation>
    </message>
    <message>
        <source>Queued: %1</source>
        <translation>En attente : %1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>Last: %1</source>
        <translation>Dernier : %1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Chargement de %1…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Téléchargement de %1…</translation>
    </message>
    <message>
        <source>Encoding and decoding %1…</source>
        <translation>Encodage et décodage de %1…</translation>
    </message>
    <message>
        <source>Comparing %1…</source>
        <translation>Comparaison de %1…</translation>
    </message>
    <message>
        <source>Preparing the views of %1…</source>
        <translation>Préparation des vues de %1…</translation>
    </message>
    <message>
        <source>nothing was prepared to show</source>
        <translation>rien n’a été préparé pour l’affichage</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>This backend returned no reconstruction.</source>
        <translation>Ce moteur n&apos;a renvoyé aucune reconstruction.</translation>
    </message>
    <message>
        <source>load %1 s · model %2 s · total %3 s</source>
        <translation>chargement %1 s · modèle %2 s · total %3 s</translation>
    </message>
    <message numerus="yes">
        <source> · endpoint %1: %2 ms, %n retries</source>
        <translation>
            <numerusform> · point de terminaison %1 : %2 ms, %n nouvelle tentative</numerusform>
            <numerusform> · point de terminaison %1 : %2 ms, %n nouvelles tentatives</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 × %3, latent %4 × %5 × %6%7</source>
        <translation>%1 : %2 × %3, latent %4 × %5 × %6%7</translation>
    </message>
    <message>
        <source> (demo model)</source>
        <translation> (modèle de démonstration)</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calcul en cours…</translation>
    </message>
    <message>
        <source>Cancelled — no result</source>
        <translation>Annulé — aucun résultat</translation>
    </message>
    <message>
        <source>Model B: %1</source>
        <translation>Modèle B : %1</translation>
    </message>
</context>
<context>
    <name>medvae::ui::JobStatusBar</name>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 écoulé</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>estimation…</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>environ %1 restant</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Langue du système</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLab</name>
    <message>
        <source>B&apos;s z is %1 but A&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>Le z de B est %1 mais celui de A est %2 : l’interpolation demande deux z de même forme (images de même taille, encodées par le même modèle).</translation>
    </message>
    <message>
        <source>Load a model first: a z is read for the model that decodes it.</source>
        <translation>Chargez d’abord un modèle : un z est lu pour le modèle qui le décode.</translation>
    </message>
    <message>
        <source>%1 is larger than 256 MB, too large for a z.</source>
        <translation>%1 dépasse 256 Mo, trop grand pour un z.</translation>
    </message>
    <message>
        <source>The image shown has no z (a remote endpoint returns only the latent).</source>
        <translation>L’image affichée n’a pas de z (un point de terminaison distant ne renvoie que le latent).</translation>
    </message>
    <message>
        <source>Load a model to decode.</source>
        <translation>Chargez un modèle pour décoder.</translation>
    </message>
    <message>
        <source>Nothing decoded yet to export.</source>
        <translation>Rien n’a encore été décodé à exporter.</translation>
    </message>
    <message>
        <source>The inputs changed since the result shown was decoded; wait for the new decode.</source>
        <translation>Les entrées ont changé depuis le décodage affiché ; attendez le nouveau décodage.</translation>
    </message>
    <message>
        <source>An export is being written; wait for it to finish.</source>
        <translation>Un export est en cours d’écriture ; attendez qu’il se termine.</translation>
    </message>
    <message>
        <source>A&apos;s z is %1 but B&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>Le z de A est %1 mais celui de B est %2 : l’interpolation demande deux z de même forme (images de même taille, encodées par le même modèle).</translation>
    </message>
    <message>
        <source>%1 looks like a stage-2 latent: the decoder takes z (the _z.npy file), so its decode is not a faithful reconstruction.</source>
        <translation>%1 semble être un latent d’étape 2 : le décodeur prend z (le fichier _z.npy), son décodage n’est donc pas une reconstruction fidèle.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLabPanel</name>
    <message>
        <source>Open z</source>
        <translation>Ouvrir un z</translation>
    </message>
    <message>
        <source>z arrays (*_z.npy *.npy)</source>
        <translation>Tableaux z (*_z.npy *.npy)</translation>
    </message>
    <message>
        <source>Export edited z, decode and recipe</source>
        <translation>Exporter le z modifié, le décodage et la recette</translation>
    </message>
    <message>
        <source>Latent recipes (*_recipe.json)</source>
        <translation>Recettes latentes (*_recipe.json)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s).</source>
        <translation>
            <numerusform>%n fichier exporté.</numerusform>
            <numerusform>%n fichiers exportés.</numerusform>
        </translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A : %1</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B : %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Decoding… (the view shows the last finished decode)</source>
        <translation>Décodage… (la vue montre le dernier décodage terminé)</translation>
    </message>
    <message>
        <source>Largest change from the edits: %1 (model space, -1 to 1)</source>
        <translation>Plus grand changement dû aux modifications : %1 (espace du modèle, -1 à 1)</translation>
    </message>
    <message>
        <source>Open a z file, or take the z of the image shown in Inspect.</source>
        <translation>Ouvrez un fichier z, ou prenez le z de l’image affichée dans Inspecter.</translation>
    </message>
    <message>
        <source>Decoding takes z (the _z.npy file); the stage-2 latent (_latent.npy) is the input for downstream models and does not decode faithfully. On the CPU a full-size model takes seconds per decode.</source>
        <translation>Le décodage prend z (le fichier _z.npy) ; le latent d’étape 2 (_latent.npy) sert d’entrée aux modèles en aval et ne se décode pas fidèlement. Sur le CPU, un modèle de taille réelle met quelques secondes par décodage.</translation>
    </message>
    <message>
        <source>Open z…</source>
        <translation>Ouvrir un z…</translation>
    </message>
    <message>
        <source>From Inspect</source>
        <translation>Depuis Inspecter</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linéaire</translation>
    </message>
    <message>
        <source>Spherical (slerp)</source>
        <translation>Sphérique (slerp)</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Échelle</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Décalage</translation>
    </message>
    <message>
        <source>Zero</source>
        <translation>Mettre à zéro</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>Échanger</translation>
    </message>
    <message>
        <source>Add noise</source>
        <translation>Ajouter du bruit</translation>
    </message>
    <message>
        <source>channel </source>
        <translation>canal </translation>
    </message>
    <message>
        <source>with </source>
        <translation>avec </translation>
    </message>
    <message>
        <source>value </source>
        <translation>valeur </translation>
    </message>
    <message>
        <source>seed </source>
        <translation>graine </translation>
    </message>
    <message>
        <source>Add edit</source>
        <translation>Ajouter la modification</translation>
    </message>
    <message>
        <source>Remove edit</source>
        <translation>Retirer la modification</translation>
    </message>
    <message>
        <source>PNG 8-bit</source>
        <translation>PNG 8 bits</translation>
    </message>
    <message>
        <source>PNG 16-bit</source>
        <translation>PNG 16 bits</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Decoded (edited z)</source>
        <translation>Décodé (z modifié)</translation>
    </message>
    <message>
        <source>Difference to the unedited decode</source>
        <translation>Différence avec le décodage non modifié</translation>
    </message>
    <message>
        <source>Reading the z file…</source>
        <translation>Lecture du fichier z…</translation>
    </message>
    <message>
        <source>Writing the export…</source>
        <translation>Écriture de l’export…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentMaps</name>
    <message>
        <source>no array</source>
        <translation>aucun tableau</translation>
    </message>
    <message>
        <source>expected an array of shape [C, h, w], got %1 dimensions</source>
        <translation>tableau de forme [C, h, w] attendu, %1 dimensions reçues</translation>
    </message>
    <message>
        <source>the array is empty</source>
        <translation>le tableau est vide</translation>
    </message>
    <message>
        <source>the array is too large to show (%1 × %2 × %3)</source>
        <translation>le tableau est trop grand pour être affiché (%1 × %2 × %3)</translation>
    </message>
    <message>
        <source>the array is not floating point</source>
        <translation>le tableau n&apos;est pas en virgule flottante</translation>
    </message>
    <message>
        <source>Cannot show the latent: %1.</source>
        <translation>Impossible d&apos;afficher le latent : %1.</translation>
    </message>
    <message>
        <source>its shape differs from the latent&apos;s</source>
        <translation>sa forme diffère de celle du latent</translation>
    </message>
    <message>
        <source>Cannot show z: %1.</source>
        <translation>Impossible d&apos;afficher z : %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentPanel</name>
    <message>
        <source>latent</source>
        <translation>latent</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <source>Colormap:</source>
        <translation>Palette :</translation>
    </message>
    <message>
        <source>gray</source>
        <translation>gris</translation>
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
        <translation>divergente (0 = blanc)</translation>
    </message>
    <message>
        <source>Shared range</source>
        <translation>Plage commune</translation>
    </message>
    <message>
        <source>Per-channel range</source>
        <translation>Plage par canal</translation>
    </message>
    <message>
        <source>Percentiles:</source>
        <translation>Percentiles :</translation>
    </message>
    <message>
        <source>Lower clipping percentile</source>
        <translation>Percentile de coupure inférieur</translation>
    </message>
    <message>
        <source>Upper clipping percentile</source>
        <translation>Percentile de coupure supérieur</translation>
    </message>
    <message>
        <source>Composite R G B:</source>
        <translation>Composite R V B :</translation>
    </message>
    <message>
        <source>False-colour composite of three channels, each scaled to its own percentile range</source>
        <translation>Composite en fausses couleurs de trois canaux, chacun mis à l&apos;échelle de sa propre plage de percentiles</translation>
    </message>
    <message>
        <source>Export channel PNG…</source>
        <translation>Exporter le canal en PNG…</translation>
    </message>
    <message>
        <source>Export grid PNG…</source>
        <translation>Exporter la grille en PNG…</translation>
    </message>
    <message>
        <source>Export .npy…</source>
        <translation>Exporter en .npy…</translation>
    </message>
    <message>
        <source>Channel %1</source>
        <translation>Canal %1</translation>
    </message>
    <message>
        <source>z (stage 1): the autoencoder&apos;s latent, what decode takes to reconstruct the image.</source>
        <translation>z (étape 1) : le latent de l&apos;autoencodeur, ce que prend le décodage pour reconstruire l&apos;image.</translation>
    </message>
    <message>
        <source>latent (stage 2): what the model card&apos;s endpoint returns, the input for downstream models.</source>
        <translation>latent (étape 2) : ce que renvoie le point de terminaison de la fiche du modèle, l&apos;entrée des modèles en aval.</translation>
    </message>
    <message>
        <source>Stage 2 latent, as the model card&apos;s endpoint returns it</source>
        <translation>Latent de l&apos;étape 2, tel que le renvoie le point de terminaison de la fiche du modèle</translation>
    </message>
    <message>
        <source>z is not available for this result: remote endpoints return only the latent</source>
        <translation>z n&apos;est pas disponible pour ce résultat : les points de terminaison distants ne renvoient que le latent</translation>
    </message>
    <message>
        <source>Stage 1 latent z, the input of decode</source>
        <translation>Latent z de l&apos;étape 1, l&apos;entrée du décodage</translation>
    </message>
    <message>
        <source>min %1  max %2</source>
        <translation>min %1  max %2</translation>
    </message>
    <message>
        <source>mean %1  std %2</source>
        <translation>moy. %1  σ %2</translation>
    </message>
    <message>
        <source>shown %1 to %2</source>
        <translation>affiché %1 à %2</translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s)</source>
        <translation>
            <numerusform>%n valeur non finie</numerusform>
            <numerusform>%n valeurs non finies</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 composite (x %2, y %3): %4</source>
        <translation>%1 composite (x %2, y %3) : %4</translation>
    </message>
    <message>
        <source>%1 channel %2 (x %3, y %4): %5</source>
        <translation>%1 canal %2 (x %3, y %4) : %5</translation>
    </message>
    <message>
        <source>Export channel as PNG</source>
        <translation>Exporter le canal en PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Échec de l&apos;export : %1</translation>
    </message>
    <message>
        <source>Export grid as PNG</source>
        <translation>Exporter la grille en PNG</translation>
    </message>
    <message>
        <source>Export array as .npy</source>
        <translation>Exporter le tableau en .npy</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>Tableaux NumPy (*.npy)</translation>
    </message>
    <message>
        <source>The latent channels appear here once an image is computed.</source>
        <translation>Les canaux latents apparaissent ici dès qu&apos;une image est calculée.</translation>
    </message>
    <message>
        <source>Channels %1, %2, %3 as RGB</source>
        <translation>Canaux %1, %2, %3 en RVB</translation>
    </message>
</context>
<context>
    <name>medvae::ui::MainWindow</name>
    <message>
        <source>Load checkpoint</source>
        <translation>Charger un checkpoint</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>MedVAE Studio</source>
        <translation>MedVAE Studio</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>Inspecter</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open Images…</source>
        <translation>&amp;Ouvrir des images…</translation>
    </message>
    <message>
        <source>Open image files (PNG, JPEG, TIFF, DICOM, …)</source>
        <translation>Ouvrir des fichiers image (PNG, JPEG, TIFF, DICOM, …)</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>Ouvrir un &amp;dossier…</translation>
    </message>
    <message>
        <source>Open &amp;URL…</source>
        <translation>Ouvrir une &amp;URL…</translation>
    </message>
    <message>
        <source>&amp;Paste Image or Path</source>
        <translation>Co&amp;ller une image ou un chemin</translation>
    </message>
    <message>
        <source>Load &amp;Checkpoint…</source>
        <translation>Charger un &amp;checkpoint…</translation>
    </message>
    <message>
        <source>&amp;Close Image</source>
        <translation>&amp;Fermer l&apos;image</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Exécution</translation>
    </message>
    <message>
        <source>&amp;Recompute</source>
        <translation>&amp;Recalculer</translation>
    </message>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>&amp;Annuler la tâche</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About MedVAE Studio</source>
        <translation>À &amp;propos de MedVAE Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>No images found in what was opened.</source>
        <translation>Aucune image trouvée dans ce qui a été ouvert.</translation>
    </message>
    <message>
        <source>Open Images</source>
        <translation>Ouvrir des images</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;All files (*)</source>
        <translation>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ouvrir un dossier</translation>
    </message>
    <message>
        <source>Open URL</source>
        <translation>Ouvrir une URL</translation>
    </message>
    <message>
        <source>Image address (http, https or data: URI):</source>
        <translation>Adresse de l&apos;image (http, https ou URI data:) :</translation>
    </message>
    <message>
        <source>The clipboard holds no image, path or address.</source>
        <translation>Le presse-papiers ne contient ni image, ni chemin, ni adresse.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;Inspect what MedVAE medical-image autoencoders keep and lose: latents, reconstructions and their errors.&lt;/p&gt;&lt;p&gt;The bundled demo model was trained by this project and is not MedVAE&apos;s published weights.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bundled parts and their licences&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — zlib licence&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Sample images and the demo model&apos;s training data: Colin27 T1 templates (Holmes et al. 1998, as distributed with MRIcron) — BSD-3-Clause, Copyright 2006-2010 Chris Rorden.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;Examinez ce que les autoencodeurs d&apos;images médicales MedVAE conservent et perdent : latents, reconstructions et leurs erreurs.&lt;/p&gt;&lt;p&gt;Le modèle de démonstration fourni a été entraîné par ce projet ; ce ne sont pas les poids publiés de MedVAE.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Composants fournis et leurs licences&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — licence zlib&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Images d&apos;exemple et données d&apos;entraînement du modèle de démonstration : modèles T1 Colin27 (Holmes et al. 1998, tels que distribués avec MRIcron) — BSD-3-Clause, Copyright 2006-2010 Chris Rorden.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About MedVAE Studio</source>
        <translation>À propos de MedVAE Studio</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>&amp;Local Engine</source>
        <translation>Moteur &amp;local</translation>
    </message>
    <message>
        <source>Remote &amp;Endpoint (Active Profile)</source>
        <translation>Point de terminaison &amp;distant (profil actif)</translation>
    </message>
    <message>
        <source>Endpoint &amp;Profiles…</source>
        <translation>&amp;Profils de points de terminaison…</translation>
    </message>
    <message>
        <source>Latent lab</source>
        <translation>Labo latent</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>Aucun profil de point de terminaison actif : choisissez-en un dans Exécution ▸ Profils de points de terminaison.</translation>
    </message>
    <message>
        <source>P&amp;ACS Browser…</source>
        <translation>Navigateur P&amp;ACS…</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n file(s) to group series…</source>
        <translation>
            <numerusform>Lecture de %n fichier pour regrouper les séries…</numerusform>
            <numerusform>Lecture de %n fichiers pour regrouper les séries…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelBChooser</name>
    <message>
        <source>&lt;b&gt;Compare with a second model (B)&lt;/b&gt;</source>
        <translation>&lt;b&gt;Comparer avec un second modèle (B)&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Off: the Inspect tab shows the loaded model alone.</source>
        <translation>Désactivé : l’onglet Inspecter montre le modèle chargé seul.</translation>
    </message>
    <message>
        <source>Model B: %1. The Inspect tab shows A and B side by side.</source>
        <translation>Modèle B : %1. L’onglet Inspecter montre A et B côte à côte.</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>Comparer avec…</translation>
    </message>
    <message>
        <source>Choose a second checkpoint; it must take the same input channels as the loaded model (its factor and latent channels may differ).</source>
        <translation>Choisir un second checkpoint ; il doit prendre les mêmes canaux d’entrée que le modèle chargé (son facteur et ses canaux latents peuvent différer).</translation>
    </message>
    <message>
        <source>Stop comparing</source>
        <translation>Arrêter la comparaison</translation>
    </message>
    <message>
        <source>Compare with checkpoint</source>
        <translation>Comparer avec un checkpoint</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Model B: the endpoint %1. The Inspect tab shows A and B side by side.</source>
        <translation>Modèle B : le point de terminaison %1. L’onglet Inspecter montre A et B côte à côte.</translation>
    </message>
    <message>
        <source>Compare with the endpoint…</source>
        <translation>Comparer avec le point de terminaison…</translation>
    </message>
    <message>
        <source>No endpoint profile is active: add one in Run ▸ Endpoint Profiles.</source>
        <translation>Aucun profil de point de terminaison n’est actif : ajoutez-en un dans Exécution ▸ Profils de points de terminaison.</translation>
    </message>
    <message>
        <source>Compare with the active endpoint profile %1 (images are sent to it).</source>
        <translation>Comparer avec le profil de point de terminaison actif %1 (les images lui sont envoyées).</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelPanel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>Load checkpoint file…</source>
        <translation>Charger un fichier de checkpoint…</translation>
    </message>
    <message>
        <source>MedVAE checkpoints in the Hugging Face cache:</source>
        <translation>Checkpoints MedVAE dans le cache Hugging Face :</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Charger</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Look again in %1</source>
        <translation>Chercher à nouveau dans %1</translation>
    </message>
    <message>
        <source>Download MedVAE weights from Hugging Face:</source>
        <translation>Télécharger les poids MedVAE depuis Hugging Face :</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Périphérique :</translation>
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
        <translation>CUDA n&apos;est pas disponible : cette version de LibTorch ne prend pas en charge CUDA ou aucun GPU n&apos;a été trouvé.</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Précision :</translation>
    </message>
    <message>
        <source>float32 (exact)</source>
        <translation>float32 (exact)</translation>
    </message>
    <message>
        <source>bfloat16 (faster, approximate)</source>
        <translation>bfloat16 (plus rapide, approché)</translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation>Threads CPU :</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>tous les cœurs</translation>
    </message>
    <message>
        <source>Sample z from the posterior (otherwise its mean)</source>
        <translation>Tirer z de la loi a posteriori (sinon sa moyenne)</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Graine :</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Aucun modèle chargé.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo model&lt;/b&gt; trained by this project — not MedVAE&apos;s published weights.&lt;br&gt;</source>
        <translation>&lt;b&gt;Modèle de démonstration&lt;/b&gt; entraîné par ce projet — pas les poids publiés de MedVAE.&lt;br&gt;</translation>
    </message>
    <message>
        <source>Variant: %1&lt;br&gt;Factor: %2 per side&lt;br&gt;Channels: %3 in, %4 latent&lt;br&gt;</source>
        <translation>Variante : %1&lt;br&gt;Facteur : %2 par côté&lt;br&gt;Canaux : %3 en entrée, %4 latents&lt;br&gt;</translation>
    </message>
    <message>
        <source>Parameters: %1&lt;br&gt;</source>
        <translation>Paramètres : %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Device: %1&lt;br&gt;Precision: %2&lt;br&gt;</source>
        <translation>Périphérique : %1&lt;br&gt;Précision : %2&lt;br&gt;</translation>
    </message>
    <message>
        <source>File: %1&lt;br&gt;</source>
        <translation>Fichier : %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>SHA-256: %1</source>
        <translation>SHA-256 : %1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Chargement de %1…</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>Le modèle n&apos;a pas pu être chargé : %1</translation>
    </message>
    <message>
        <source>Load checkpoint</source>
        <translation>Charger un checkpoint</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Téléchargement de %1…</translation>
    </message>
    <message>
        <source>Downloaded to %1
SHA-256: %2</source>
        <translation>Téléchargé dans %1
SHA-256 : %2</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept.</source>
        <translation>Téléchargement annulé ; rien n&apos;a été conservé.</translation>
    </message>
    <message>
        <source>Download failed: %1</source>
        <translation>Échec du téléchargement : %1</translation>
    </message>
    <message>
        <source>Sample z</source>
        <translation>Échantillonner z</translation>
    </message>
    <message>
        <source>&lt;b&gt;Remote endpoint&lt;/b&gt;: images are encoded on %1, not on this computer.&lt;br&gt;</source>
        <translation>&lt;b&gt;Point de terminaison distant&lt;/b&gt; : les images sont encodées sur %1, pas sur cet ordinateur.&lt;br&gt;</translation>
    </message>
    <message>
        <source>Deployment: %1&lt;br&gt;</source>
        <translation>Déploiement : %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Channels: %1 in, %2 latent&lt;br&gt;</source>
        <translation>Canaux : %1 en entrée, %2 latents&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: none yet&lt;br&gt;</source>
        <translation>Dernier aller-retour : aucun pour l&apos;instant&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: %1 ms&lt;br&gt;</source>
        <translation>Dernier aller-retour : %1 ms&lt;br&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;The endpoint returns the reconstruction clamped and rounded to 8 bits, so PSNR and SSIM differ slightly from the local engine&apos;s.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Le point de terminaison renvoie la reconstruction bornée et arrondie à 8 bits : PSNR et SSIM diffèrent donc légèrement de ceux du moteur local.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Applies to the local engine only.</source>
        <translation>S&apos;applique au moteur local uniquement.</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>aucun trouvé</translation>
    </message>
    <message>
        <source>Looked in %1</source>
        <translation>Recherché dans %1</translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation>Périphérique CUDA %1</translation>
    </message>
    <message>
        <source>float16 (CUDA only, approximate)</source>
        <translation>float16 (CUDA, approché)</translation>
    </message>
    <message>
        <source>float16: the fastest, approximate; on CUDA devices only</source>
        <translation>float16 : le plus rapide, approché ; sur les périphériques CUDA uniquement</translation>
    </message>
    <message>
        <source>Tiled (approximate)</source>
        <translation>En tuiles (approximation)</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Tiled: tiles of %1 px, %2 px overlap (approximate results)&lt;br&gt;</source>
        <translation>En tuiles : tuiles de %1 px, chevauchement de %2 px (résultats approchés)&lt;br&gt;</translation>
    </message>
    <message>
        <source>For images too large for this computer&apos;s memory: overlapping tiles, blended. The result is an approximation of the exact one and says how far the tiles disagreed.</source>
        <translation>Pour les images trop grandes pour la mémoire de cet ordinateur : des tuiles qui se chevauchent, fondues. Le résultat est une approximation du résultat exact et indique l&apos;écart entre les tuiles.</translation>
    </message>
    <message>
        <source>Not with tiles: each tile would draw its own noise.</source>
        <translation>Pas avec des tuiles : chaque tuile tirerait son propre bruit.</translation>
    </message>
    <message>
        <source>Tile size</source>
        <translation>Taille des tuiles</translation>
    </message>
    <message>
        <source>Tile size: the side of each tile in pixels</source>
        <translation>Taille des tuiles : le côté de chaque tuile en pixels</translation>
    </message>
</context>
<context>
    <name>medvae::ui::PacsBrowser</name>
    <message>
        <source>&amp;Servers…</source>
        <translation>&amp;Serveurs…</translation>
    </message>
    <message>
        <source>Archive:</source>
        <translation>Archive :</translation>
    </message>
    <message>
        <source>Searc&amp;h</source>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>au plus </translation>
    </message>
    <message>
        <source> studies</source>
        <translation> études</translation>
    </message>
    <message>
        <source>Ne&amp;xt page</source>
        <translation>Page &amp;suivante</translation>
    </message>
    <message>
        <source>Retrieving: %1 of %2 instances (%3 MB)…</source>
        <translation>Récupération : %1 instances sur %2 (%3 Mo)…</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>Nom du patient</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>ID du patient</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Date de naissance</translation>
    </message>
    <message>
        <source>Study date</source>
        <translation>Date de l’étude</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>Modalités</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>N° d’accès</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Séries</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalité</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>Instances</translation>
    </message>
    <message>
        <source>&amp;Retrieve series</source>
        <translation>&amp;Récupérer la série</translation>
    </message>
    <message>
        <source>Retrieve s&amp;tudy</source>
        <translation>Récupérer l’é&amp;tude</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>C&amp;lear cache</source>
        <translation>&amp;Vider le cache</translation>
    </message>
    <message>
        <source>Add a PACS server first (Servers…).</source>
        <translation>Ajoutez d’abord un serveur PACS (Serveurs…).</translation>
    </message>
    <message>
        <source>Searching %1…</source>
        <translation>Recherche dans %1…</translation>
    </message>
    <message>
        <source>No studies match.</source>
        <translation>Aucune étude ne correspond.</translation>
    </message>
    <message>
        <source>Studies %1–%2 shown; more match (Next page, or narrow the search).</source>
        <translation>Études %1 à %2 affichées ; d’autres correspondent (Page suivante, ou affinez la recherche).</translation>
    </message>
    <message>
        <source>Studies %1–%2 (the last).</source>
        <translation>Études %1 à %2 (les dernières).</translation>
    </message>
    <message>
        <source>Listing the series…</source>
        <translation>Liste des séries…</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>Pas d’aperçu : %1</translation>
    </message>
    <message>
        <source>Retrieving…</source>
        <translation>Récupération…</translation>
    </message>
    <message>
        <source>Cancelling the retrieval…</source>
        <translation>Annulation de la récupération…</translation>
    </message>
    <message>
        <source>Retrieved; the images are in the Images list.</source>
        <translation>Récupéré ; les images sont dans la liste Images.</translation>
    </message>
    <message>
        <source>The cache of retrieved images is empty.</source>
        <translation>Le cache des images récupérées est vide.</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>Études trouvées : %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::RecentSources</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Ouvrir un fichier &amp;récent</translation>
    </message>
    <message>
        <source>Clear Recent</source>
        <translation>Effacer la liste</translation>
    </message>
</context>
<context>
    <name>medvae::ui::SourceOpener</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d’ouvrir %1 : %2</translation>
    </message>
    <message>
        <source>Opened the first %1 images; %2 more were left out.</source>
        <translation>Les %1 premières images ont été ouvertes ; %2 autres ont été laissées de côté.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::StudyQueryForm</name>
    <message>
        <source>Study &amp;date from</source>
        <translation>&amp;Date de l’étude du</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Patient &amp;ID:</source>
        <translation>&amp;ID du patient :</translation>
    </message>
    <message>
        <source>Patient &amp;name:</source>
        <translation>&amp;Nom du patient :</translation>
    </message>
    <message>
        <source>&amp;Modality:</source>
        <translation>&amp;Modalité :</translation>
    </message>
    <message>
        <source>A&amp;ccession number:</source>
        <translation>Numéro d’a&amp;ccès :</translation>
    </message>
    <message>
        <source>Study d&amp;escription:</source>
        <translation>D&amp;escription de l’étude :</translation>
    </message>
</context>
<context>
    <name>medvae::ui::WindowedImage</name>
    <message>
        <source>Soft tissue</source>
        <translation>Tissus mous</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>Poumon</translation>
    </message>
    <message>
        <source>Liver</source>
        <translation>Foie</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>Os</translation>
    </message>
    <message>
        <source>Brain</source>
        <translation>Cerveau</translation>
    </message>
    <message>
        <source>File window %1</source>
        <translation>Fenêtre %1 du fichier</translation>
    </message>
    <message>
        <source>Full range (0.1-99.9 %)</source>
        <translation>Plage complète (0,1–99,9 %)</translation>
    </message>
    <message>
        <source>%1 (W %2 / L %3)</source>
        <translation>%1 (L %2 / N %3)</translation>
    </message>
</context>
</TS>
