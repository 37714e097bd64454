<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>ErrorWording</name>
    <message>
        <source>&apos;%1&apos; does not exist (and is not an http(s)/file/data URL or base64 data)</source>
        <translation>«%1» no existe (y no es una URL http(s)/file/data ni datos base64)</translation>
    </message>
    <message>
        <source>cannot open &apos;%1&apos;: %2</source>
        <translation>no se puede abrir «%1»: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is empty (0 bytes)</source>
        <translation>«%1» está vacío (0 bytes)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an image this program can read (unrecognised contents)</source>
        <translation>«%1» no es una imagen que este programa pueda leer (contenido no reconocido)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a readable DICOM file (%2)</source>
        <translation>«%1» no es un archivo DICOM legible (%2)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a DICOM file without pixel data</source>
        <translation>«%1» es un archivo DICOM sin datos de píxeles</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is neither a PyTorch checkpoint (zip) nor a safetensors file (unrecognised contents; is it truncated or a different kind of file?)</source>
        <translation>«%1» no es ni un checkpoint de PyTorch (zip) ni un archivo safetensors (contenido no reconocido; ¿está truncado o es otro tipo de archivo?)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a checkpoint in PyTorch&apos;s legacy (pre-1.6) format, which is not supported; load it in Python and save it again with torch.save</source>
        <translation>«%1» es un checkpoint en el formato antiguo de PyTorch (anterior a 1.6), que no es compatible; cárguelo en Python y guárdelo de nuevo con torch.save</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: out of memory while reading the checkpoint</source>
        <translation>«%1»: memoria insuficiente al leer el checkpoint</translation>
    </message>
    <message>
        <source>Connection refused by %1: nothing listens there (check the port, or whether the server runs)</source>
        <translation>Conexión rechazada por %1: nada escucha allí (compruebe el puerto o si el servidor está en marcha)</translation>
    </message>
    <message>
        <source>DNS: the host name &apos;%1&apos; could not be resolved; check the scoring URI and the network</source>
        <translation>DNS: no se pudo resolver el nombre de host «%1»; compruebe la URI de puntuación y la red</translation>
    </message>
    <message>
        <source>Connecting to %1 timed out</source>
        <translation>Se agotó el tiempo al conectar con %1</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Error de red al comunicarse con %1: %2</translation>
    </message>
    <message>
        <source>cannot create the output folder &apos;%1&apos;: %2</source>
        <translation>no se puede crear la carpeta de salida «%1»: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (%2) would need about %3, over the memory budget of %4; nothing was decoded. Use a smaller image or bfloat16 precision, or raise the budget (--max-memory-gb, or MEDVAE_MAX_MEMORY_GB) if the machine has the memory</source>
        <translation>«%1» (%2) necesitaría unos %3, por encima del presupuesto de memoria de %4; no se decodificó nada. Use una imagen más pequeña o la precisión bfloat16, o aumente el presupuesto (--max-memory-gb o MEDVAE_MAX_MEMORY_GB) si la máquina tiene la memoria</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid DICOM file (%2)</source>
        <translation>«%1» no es un archivo DICOM válido (%2)</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; reconstructions agree to %4 dB</source>
        <translation>en mosaicos: %1 mosaicos de %2 px (solapamiento de %3 px), una aproximación del resultado exacto; las reconstrucciones de mosaicos solapados coinciden a %4 dB</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; z differ by %4 of its RMS</source>
        <translation>en mosaicos: %1 mosaicos de %2 px (solapamiento de %3 px), una aproximación del resultado exacto; las z de mosaicos solapados difieren en %4 de su valor eficaz</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result</source>
        <translation>en mosaicos: %1 mosaicos de %2 px (solapamiento de %3 px), una aproximación del resultado exacto</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Images will be sent to the endpoint &quot;%1&quot; at %2 for encoding.

Only pixels leave this machine, re-encoded as PNG: no DICOM header, no file names, no patient data fields. Whoever runs %2 can see the images.%3

Send images to this endpoint?</source>
        <translation>Las imágenes se enviarán al punto de conexión «%1» en %2 para codificarlas.

Solo los píxeles salen de este equipo, recodificados como PNG: sin cabecera DICOM, sin nombres de archivo, sin datos del paciente. Quien opere %2 puede ver las imágenes.%3

¿Enviar imágenes a este punto de conexión?</translation>
    </message>
    <message>
        <source> Images opened from a web address are sent as that address, and the endpoint downloads them itself.</source>
        <translation> Las imágenes abiertas desde una dirección web se envían como esa dirección y el punto de conexión las descarga por sí mismo.</translation>
    </message>
    <message>
        <source>Send images to an endpoint?</source>
        <translation>¿Enviar imágenes a un punto de conexión?</translation>
    </message>
</context>
<context>
    <name>SessionKeyPrompt</name>
    <message>
        <source>The key of the endpoint &quot;%1&quot; cannot be read from the system keychain:
%2

Enter the key to use it for this session only: it is kept in memory and never written, and asked for again after a restart. Leave the field empty if the endpoint takes no key.</source>
        <translation>La clave del punto de conexión «%1» no se puede leer del llavero del sistema:
%2

Introduzca la clave para usarla solo en esta sesión: se guarda en memoria, nunca se escribe y se volverá a pedir tras un reinicio. Deje el campo vacío si el punto de conexión no requiere clave.</translation>
    </message>
    <message>
        <source>Key for this session</source>
        <translation>Clave para esta sesión</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Inspect the latents and reconstructions of MedVAE medical-image autoencoders.</source>
        <translation>Inspeccionar los latentes y las reconstrucciones de los autocodificadores de imágenes médicas MedVAE.</translation>
    </message>
    <message>
        <source>Checkpoint to load instead of the remembered one.</source>
        <translation>Checkpoint que se carga en lugar del recordado.</translation>
    </message>
    <message>
        <source>Save the window to FILE once the first result is shown, then quit.</source>
        <translation>Guardar la ventana en FILE cuando se muestre el primer resultado y salir.</translation>
    </message>
    <message>
        <source>Image files, folders or URLs.</source>
        <translation>Archivos de imagen, carpetas o URL.</translation>
    </message>
</context>
<context>
    <name>medvae::jobs::ModelDownloader</name>
    <message>
        <source>&quot;%1&quot; is not a checkpoint file name.</source>
        <translation>«%1» no es un nombre de archivo de checkpoint.</translation>
    </message>
    <message>
        <source>Cannot download from &quot;%1&quot;: not an http(s) address.</source>
        <translation>No se puede descargar de «%1»: no es una dirección http(s).</translation>
    </message>
    <message>
        <source>Cannot create the model cache folder %1.</source>
        <translation>No se puede crear la carpeta de caché de modelos %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>The checkpoint is %1, over the download limit of %2.</source>
        <translation>El checkpoint ocupa %1, por encima del límite de descarga de %2.</translation>
    </message>
    <message>
        <source>The download exceeded the limit of %1.</source>
        <translation>La descarga superó el límite de %1.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <source>The server sent nothing for %1 s; the download was stopped.</source>
        <translation>El servidor no envió nada durante %1 s; se detuvo la descarga.</translation>
    </message>
    <message>
        <source>The server answered %1 %2 for %3.</source>
        <translation>El servidor respondió %1 %2 para %3.</translation>
    </message>
    <message>
        <source>Download of %1 failed: %2</source>
        <translation>La descarga de %1 falló: %2</translation>
    </message>
    <message>
        <source>The download ended after %1 of %2; the file is incomplete.</source>
        <translation>La descarga terminó tras %1 de %2; el archivo está incompleto.</translation>
    </message>
    <message>
        <source>The server sent an empty file.</source>
        <translation>El servidor envió un archivo vacío.</translation>
    </message>
    <message>
        <source>Cannot create the folder for %1.</source>
        <translation>No se puede crear la carpeta para %1.</translation>
    </message>
    <message>
        <source>Cannot move the download to %1: %2</source>
        <translation>No se puede mover la descarga a %1: %2</translation>
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
        <translation>Reconstrucción A</translation>
    </message>
    <message>
        <source>Reconstruction A: %1</source>
        <translation>Reconstrucción A: %1</translation>
    </message>
    <message>
        <source>Reconstruction B</source>
        <translation>Reconstrucción B</translation>
    </message>
    <message>
        <source>Reconstruction B: %1</source>
        <translation>Reconstrucción B: %1</translation>
    </message>
    <message>
        <source>Error A |original − A|</source>
        <translation>Error A |original − A|</translation>
    </message>
    <message>
        <source>Error B |original − B| (same scale)</source>
        <translation>Error B |original − B| (misma escala)</translation>
    </message>
    <message>
        <source>|error A| − |error B|: red where B is closer, blue where A is</source>
        <translation>|error A| − |error B|: rojo donde B está más cerca, azul donde lo está A</translation>
    </message>
    <message>
        <source>The two reconstructions cannot be compared.</source>
        <translation>Las dos reconstrucciones no se pueden comparar.</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>valor del píxel</translation>
    </message>
    <message>
        <source>A and B: one scale</source>
        <translation>A y B: una escala</translation>
    </message>
    <message>
        <source>Both heatmaps span 0 to the larger of their 99th percentiles of |error|, so that equal colours mean equal errors; larger errors take the top colour.</source>
        <translation>Ambos mapas van de 0 al mayor de sus percentiles 99 de |error|, para que colores iguales signifiquen errores iguales; los errores mayores toman el color superior.</translation>
    </message>
    <message>
        <source>red: B better
blue: A better</source>
        <translation>rojo: B mejor
azul: A mejor</translation>
    </message>
    <message>
        <source>|error A| − |error B| per pixel, from −p to p (p its 99th percentile of magnitude): positive (red) where B&apos;s reconstruction is closer to the original, negative (blue) where A&apos;s is, white where they are equal.</source>
        <translation>|error A| − |error B| por píxel, de −p a p (p su percentil 99 en magnitud): positivo (rojo) donde la reconstrucción de B está más cerca del original, negativo (azul) donde lo está la de A, blanco donde son iguales.</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞ (idéntico)</translation>
    </message>
    <message>
        <source>%1 (%2, %3×, %4 latent channels): PSNR %5 · SSIM %6 · MAE %7 · max error %8</source>
        <translation>%1 (%2, %3×, %4 canales latentes): PSNR %5 · SSIM %6 · MAE %7 · error máx. %8</translation>
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
        <translation>B más cerca en el %1 % de los píxeles, A más cerca en el %2 %</translation>
    </message>
    <message>
        <source>Maps of the area both models reconstructed, %1×%2 of %3×%4 (each model&apos;s output is a multiple of its factor per side); each model&apos;s metrics are over its own area.</source>
        <translation>Mapas del área que reconstruyeron ambos modelos, %1×%2 de %3×%4 (la salida de cada modelo es un múltiplo de su factor por lado); las métricas de cada modelo son sobre su propia área.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ArchiveProfilesDialog</name>
    <message>
        <source>PACS servers</source>
        <translation>Servidores PACS</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>Probar la &amp;conexión</translation>
    </message>
    <message>
        <source>DICOMweb: http://host:8042/dicom-web   DIMSE: AET@host:port</source>
        <translation>DICOMweb: http://host:8042/dicom-web   DIMSE: AET@host:puerto</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguna</translation>
    </message>
    <message>
        <source>User and password (Basic)</source>
        <translation>Usuario y contraseña (Basic)</translation>
    </message>
    <message>
        <source>Token (Bearer)</source>
        <translation>Token (Bearer)</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>guardado en el llavero del sistema; déjelo vacío para conservarlo</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>&amp;Dirección:</translation>
    </message>
    <message>
        <source>Calling &amp;AE title (DIMSE):</source>
        <translation>Título &amp;AE de llamada (DIMSE):</translation>
    </message>
    <message>
        <source>A&amp;uthentication (DICOMweb):</source>
        <translation>A&amp;utenticación (DICOMweb):</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Usuario:</translation>
    </message>
    <message>
        <source>&amp;Password or token:</source>
        <translation>&amp;Contraseña o token:</translation>
    </message>
    <message>
        <source>New archive</source>
        <translation>Nuevo archivo</translation>
    </message>
    <message>
        <source>New archive %1</source>
        <translation>Nuevo archivo %1</translation>
    </message>
    <message>
        <source>Removing the password or token from the system keychain…</source>
        <translation>Quitando la contraseña o el token del llavero del sistema…</translation>
    </message>
    <message>
        <source>A renamed profile needs its password or token typed again.</source>
        <translation>Un perfil renombrado necesita que se vuelva a escribir su contraseña o token.</translation>
    </message>
    <message>
        <source>Another profile has that name.</source>
        <translation>Otro perfil tiene ese nombre.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Guardado.</translation>
    </message>
    <message>
        <source>Storing the password or token in the system keychain…</source>
        <translation>Guardando la contraseña o el token en el llavero del sistema…</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the password or token is kept for this session only, in memory.</source>
        <translation>Guardado. No hay llavero del sistema disponible, así que la contraseña o el token se guarda solo para esta sesión, en memoria.</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Probando la conexión…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BackendSwitch</name>
    <message>
        <source>The bundled demo model was not found; load a checkpoint.</source>
        <translation>No se encontró el modelo de demostración incluido; cargue un checkpoint.</translation>
    </message>
    <message>
        <source>Loading model %1…</source>
        <translation>Cargando el modelo %1…</translation>
    </message>
    <message>
        <source>No local model is loaded; load a checkpoint.</source>
        <translation>No hay ningún modelo local cargado; cargue un checkpoint.</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>No hay ningún perfil de punto de conexión activo: elija uno en Ejecutar ▸ Perfiles de puntos de conexión.</translation>
    </message>
    <message>
        <source>Staying with the local engine.</source>
        <translation>Se sigue usando el motor local.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Conectando con %1…</translation>
    </message>
    <message>
        <source>Model not loaded: %1</source>
        <translation>Modelo no cargado: %1</translation>
    </message>
    <message>
        <source>Model loaded: %1</source>
        <translation>Modelo cargado: %1</translation>
    </message>
    <message>
        <source>Remote endpoint not available: %1</source>
        <translation>Punto de conexión remoto no disponible: %1</translation>
    </message>
    <message>
        <source>Using the remote endpoint %1.</source>
        <translation>Usando el punto de conexión remoto %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BatchPanel</name>
    <message>
        <source>Add images</source>
        <translation>Añadir imágenes</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Añadir una carpeta</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Carpeta de salida</translation>
    </message>
    <message>
        <source>Drop image files, folders (DICOM folders too) or URL lists here.</source>
        <translation>Suelte aquí archivos de imagen, carpetas (también DICOM) o listas de URL.</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Añadir archivos…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Añadir carpeta…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vaciar</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
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
        <translation>Latente</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>Tiempo (s)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>Carpeta de salida:</translation>
    </message>
    <message>
        <source>Folder for latents, images and the manifest</source>
        <translation>Carpeta para latentes, imágenes y el manifiesto</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>Abrir la carpeta de salida</translation>
    </message>
    <message>
        <source>Latent (.npy)</source>
        <translation>Latente (.npy)</translation>
    </message>
    <message>
        <source>z (.npy)</source>
        <translation>z (.npy)</translation>
    </message>
    <message>
        <source>Reconstruction (.png)</source>
        <translation>Reconstrucción (.png)</translation>
    </message>
    <message>
        <source>Error heatmap (.png)</source>
        <translation>Mapa de calor del error (.png)</translation>
    </message>
    <message>
        <source>Latent (.nii.gz)</source>
        <translation>Latente (.nii.gz)</translation>
    </message>
    <message>
        <source>Reconstruct and measure</source>
        <translation>Reconstruir y medir</translation>
    </message>
    <message>
        <source>Skip finished items</source>
        <translation>Omitir los elementos terminados</translation>
    </message>
    <message>
        <source>Items already complete in the output folder for the same model and settings are not computed again.</source>
        <translation>Los elementos ya completos en la carpeta de salida para el mismo modelo y la misma configuración no se vuelven a calcular.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En ejecución</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hecho</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Omitido</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallido</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicado</translation>
    </message>
    <message>
        <source>Same input as %1</source>
        <translation>Misma entrada que %1</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n elemento</numerusform>
            <numerusform>%n elementos</numerusform>
        </translation>
    </message>
    <message>
        <source>Load a model or connect an endpoint first.</source>
        <translation>Cargue primero un modelo o conecte un punto de conexión.</translation>
    </message>
    <message>
        <source>Choose at least one output format.</source>
        <translation>Elija al menos un formato de salida.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>, %1 images/s, %2 min %3 s left</source>
        <translation>, %1 imágenes/s, quedan %2 min %3 s</translation>
    </message>
    <message>
        <source> (paused)</source>
        <translation> (en pausa)</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>Detenido: %1</translation>
    </message>
    <message>
        <source>%1 done, %2 skipped, %3 failed, %4 duplicates in %5 s%6</source>
        <translation>%1 hechos, %2 omitidos, %3 fallidos, %4 duplicados en %5 s%6</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation> (cancelado)</translation>
    </message>
    <message>
        <source>The endpoint does not return z (the stage-1 latent).</source>
        <translation>El punto de conexión no devuelve z (el latente de la etapa 1).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>«%1» no existe</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>Copiar ruta</translation>
    </message>
    <message>
        <source>Copy the output folder&apos;s path to the clipboard</source>
        <translation>Copiar la ruta de la carpeta de salida al portapapeles</translation>
    </message>
    <message>
        <source>The output folder %1 does not exist yet; a run creates it.</source>
        <translation>La carpeta de salida %1 aún no existe; una ejecución la crea.</translation>
    </message>
    <message>
        <source>No file manager could open %1. Copy the path and open it another way.</source>
        <translation>Ningún gestor de archivos pudo abrir %1. Copie la ruta y ábrala de otra forma.</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>%1 copiado</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>Informe…</translation>
    </message>
    <message>
        <source>Write the batch fidelity report (report.html) into the output folder</source>
        <translation>Escribir el informe de fidelidad del lote (report.html) en la carpeta de salida</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>Abrir informe</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Escribiendo el informe…</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>Informe escrito: %1</translation>
    </message>
    <message>
        <source>The report could not be written: %1</source>
        <translation>No se pudo escribir el informe: %1</translation>
    </message>
    <message>
        <source>Nothing could open %1.</source>
        <translation>Nada pudo abrir %1.</translation>
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
        <translation>Reconstrucción</translation>
    </message>
    <message>
        <source>Error |original − reconstruction|</source>
        <translation>Error |original − reconstrucción|</translation>
    </message>
    <message>
        <source>Signed difference (reconstruction − original)</source>
        <translation>Diferencia con signo (reconstrucción − original)</translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation>Error absoluto</translation>
    </message>
    <message>
        <source>Signed difference</source>
        <translation>Diferencia con signo</translation>
    </message>
    <message>
        <source>Heatmap of |original − reconstruction| (magma) or of the signed difference (blue: reconstruction darker, red: brighter)</source>
        <translation>Mapa de calor de |original − reconstrucción| (magma) o de la diferencia con signo (azul: reconstrucción más oscura, rojo: más clara)</translation>
    </message>
    <message>
        <source>Window presets for the original and the reconstruction</source>
        <translation>Ventanas predefinidas para el original y la reconstrucción</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Image information</source>
        <translation>Información de la imagen</translation>
    </message>
    <message>
        <source>Show modality, descriptions, size and frame on the original (hidden by default so screenshots carry no identifiers)</source>
        <translation>Mostrar modalidad, descripciones, tamaño y fotograma sobre el original (oculto por defecto para que las capturas no lleven identificadores)</translation>
    </message>
    <message>
        <source>Pad input to the factor</source>
        <translation>Rellenar la entrada al factor</translation>
    </message>
    <message>
        <source>Pad the input on the right and bottom to a multiple of the model&apos;s factor so that every pixel is reconstructed</source>
        <translation>Rellenar la entrada a la derecha y abajo hasta un múltiplo del factor del modelo para que se reconstruya cada píxel</translation>
    </message>
    <message>
        <source>The reconstruction cannot be compared: its images differ in size.</source>
        <translation>No se puede comparar la reconstrucción: sus imágenes difieren en tamaño.</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>valor del píxel</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞ (idéntico)</translation>
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
Error máx.: %5%4
Rango de datos: %6%4</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of %5 per side.</source>
        <translation>Área comparada %1×%2 de %3×%4: la salida del modelo es múltiplo de %5 por lado.</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of its downsampling factor per side.</source>
        <translation>Área comparada %1×%2 de %3×%4: la salida del modelo es múltiplo de su factor de reducción por lado.</translation>
    </message>
    <message>
        <source>x %1  y %2
Original: %3
Reconstruction: %4
Difference: %5</source>
        <translation>x %1  y %2
Original: %3
Reconstrucción: %4
Diferencia: %5</translation>
    </message>
    <message>
        <source>scale: 99th percentile</source>
        <translation>escala: percentil 99</translation>
    </message>
    <message>
        <source>Colours span −p to p, p the 99th percentile of |reconstruction − original|, so that a few hot pixels do not wash out the map; larger differences take the end colours.</source>
        <translation>Los colores van de −p a p, siendo p el percentil 99 de |reconstrucción − original|, para que unos pocos píxeles calientes no desvanezcan el mapa; las diferencias mayores toman los colores extremos.</translation>
    </message>
    <message>
        <source>Colours span 0 to the 99th percentile of |original − reconstruction|, so that a few hot pixels do not wash out the map; larger errors take the top colour. Batch export&apos;s error PNG uses the same scale.</source>
        <translation>Los colores van de 0 al percentil 99 de |original − reconstrucción|, para que unos pocos píxeles calientes no desvanezcan el mapa; los errores mayores toman el color superior. El PNG de error de la exportación por lotes usa la misma escala.</translation>
    </message>
    <message>
        <source>Link window</source>
        <translation>Vincular ventana</translation>
    </message>
    <message>
        <source>Window/level changes on the original or the reconstruction apply to both</source>
        <translation>Los cambios de ventana/nivel en el original o en la reconstrucción se aplican a ambos</translation>
    </message>
    <message>
        <source>The reconstruction and its error appear here once an image is computed.</source>
        <translation>La reconstrucción y su error aparecen aquí en cuanto se calcula una imagen.</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personalizado</translation>
    </message>
    <message>
        <source>No image yet.

File ▸ Open Images… (%1), Open Folder… or Open URL…
or drop image files or a folder on the window
or paste a path, address or image (%2).</source>
        <translation>Todavía no hay imagen.

Archivo ▸ Abrir imágenes… (%1), Abrir carpeta… o Abrir URL…
o arrastre archivos de imagen o una carpeta a la ventana
o pegue una ruta, una dirección o una imagen (%2).</translation>
    </message>
</context>
<context>
    <name>medvae::ui::EndpointProfilesDialog</name>
    <message>
        <source>Remote endpoints</source>
        <translation>Puntos de conexión remotos</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Use as &amp;active</source>
        <translation>Usar como &amp;activo</translation>
    </message>
    <message>
        <source>empty: the endpoint&apos;s traffic split</source>
        <translation>vacío: reparto de tráfico del punto de conexión</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>se guarda en el llavero del sistema; déjelo vacío para conservarla</translation>
    </message>
    <message>
        <source>Send images opened from web addresses as their URL</source>
        <translation>Enviar las imágenes abiertas desde direcciones web como su URL</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>Scoring &amp;URI:</source>
        <translation>&amp;URI de puntuación:</translation>
    </message>
    <message>
        <source>&amp;Deployment:</source>
        <translation>&amp;Implementación:</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Clave:</translation>
    </message>
    <message>
        <source>&amp;Timeout per request:</source>
        <translation>&amp;Tiempo límite por solicitud:</translation>
    </message>
    <message>
        <source>Re&amp;tries:</source>
        <translation>&amp;Reintentos:</translation>
    </message>
    <message>
        <source>Requests in &amp;flight:</source>
        <translation>Solicitudes &amp;simultáneas:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>Probar la &amp;conexión</translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation>%1 (activo)</translation>
    </message>
    <message>
        <source>New endpoint</source>
        <translation>Nuevo punto de conexión</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>Un perfil necesita un nombre.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Guardado.</translation>
    </message>
    <message>
        <source>Testing %1 ...</source>
        <translation>Probando %1…</translation>
    </message>
    <message>
        <source>The profile was removed; its key could not be removed from the keychain: %1</source>
        <translation>Se eliminó el perfil; su clave no se pudo eliminar del llavero: %1</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the key is kept for this session only: in memory, never written. You will be asked for it again after a restart.</source>
        <translation>Guardado. No hay ningún llavero del sistema disponible, así que la clave se conserva solo para esta sesión: en memoria, nunca se escribe. Se le volverá a pedir tras un reinicio.</translation>
    </message>
    <message>
        <source>Type the key in the Key field and save: it is then kept for this session only.</source>
        <translation>Escriba la clave en el campo Clave y guarde: entonces se conserva solo para esta sesión.</translation>
    </message>
    <message>
        <source>Removing the key from the system keychain…</source>
        <translation>Eliminando la clave del llavero del sistema…</translation>
    </message>
    <message>
        <source>Storing the key in the system keychain…</source>
        <translation>Guardando la clave en el llavero del sistema…</translation>
    </message>
    <message>
        <source>Reading the key from the system keychain…</source>
        <translation>Leyendo la clave del llavero del sistema…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ImageView</name>
    <message>
        <source>Nothing to show: the map is empty.</source>
        <translation>Nada que mostrar: el mapa está vacío.</translation>
    </message>
    <message>
        <source>W %1  L %2</source>
        <translation>A %1  N %2</translation>
    </message>
    <message>
        <source>%1  %2 to %3</source>
        <translation>%1  %2 a %3</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>calibrado</translation>
    </message>
    <message>
        <source>detector spacing</source>
        <translation>espaciado en el detector</translation>
    </message>
    <message>
        <source>spacing of unknown kind</source>
        <translation>espaciado de tipo desconocido</translation>
    </message>
    <message>
        <source>%1 mm (%2)</source>
        <translation>%1 mm (%2)</translation>
    </message>
    <message>
        <source>Modality: %1</source>
        <translation>Modalidad: %1</translation>
    </message>
    <message>
        <source>Study: %1</source>
        <translation>Estudio: %1</translation>
    </message>
    <message>
        <source>Series: %1</source>
        <translation>Serie: %1</translation>
    </message>
    <message>
        <source>Size: %1 × %2</source>
        <translation>Tamaño: %1 × %2</translation>
    </message>
    <message>
        <source>Frame %1 of %2</source>
        <translation>Fotograma %1 de %2</translation>
    </message>
    <message>
        <source>Format: %1 %2</source>
        <translation>Formato: %1 %2</translation>
    </message>
    <message>
        <source>x %1  y %2  value %3%4</source>
        <translation>x %1  y %2  valor %3%4</translation>
    </message>
    <message>
        <source>Slice %1/%2</source>
        <translation>Corte %1/%2</translation>
    </message>
</context>
<context>
    <name>medvae::ui::InspectionController</name>
    <message>
        <source>No model loaded yet; the image is computed once one is.</source>
        <translation>Aún no hay ningún modelo cargado; la imagen se calculará cuando lo haya.</translation>
    </message>
    <message>
        <source>Queued: %1</source>
        <translation>En cola: %1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <source>Last: %1</source>
        <translation>Último: %1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Descargando %1…</translation>
    </message>
    <message>
        <source>Encoding and decoding %1…</source>
        <translation>Codificando y decodificando %1…</translation>
    </message>
    <message>
        <source>Comparing %1…</source>
        <translation>Comparando %1…</translation>
    </message>
    <message>
        <source>Preparing the views of %1…</source>
        <translation>Preparando las vistas de %1…</translation>
    </message>
    <message>
        <source>nothing was prepared to show</source>
        <translation>no se preparó nada para mostrar</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>This backend returned no reconstruction.</source>
        <translation>Este motor no devolvió ninguna reconstrucción.</translation>
    </message>
    <message>
        <source>load %1 s · model %2 s · total %3 s</source>
        <translation>carga %1 s · modelo %2 s · total %3 s</translation>
    </message>
    <message numerus="yes">
        <source> · endpoint %1: %2 ms, %n retries</source>
        <translation>
            <numerusform> · punto de conexión %1: %2 ms, %n reintento</numerusform>
            <numerusform> · punto de conexión %1: %2 ms, %n reintentos</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 × %3, latent %4 × %5 × %6%7</source>
        <translation>%1: %2 × %3, latente %4 × %5 × %6%7</translation>
    </message>
    <message>
        <source> (demo model)</source>
        <translation> (modelo de demostración)</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calculando…</translation>
    </message>
    <message>
        <source>Cancelled — no result</source>
        <translation>Cancelado — sin resultado</translation>
    </message>
    <message>
        <source>Model B: %1</source>
        <translation>Modelo B: %1</translation>
    </message>
</context>
<context>
    <name>medvae::ui::JobStatusBar</name>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 transcurrido</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>estimando…</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>quedan unos %1</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Predeterminado del sistema</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLab</name>
    <message>
        <source>B&apos;s z is %1 but A&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>El z de B es %1 pero el de A es %2: la interpolación necesita dos z de la misma forma (imágenes del mismo tamaño, codificadas por el mismo modelo).</translation>
    </message>
    <message>
        <source>Load a model first: a z is read for the model that decodes it.</source>
        <translation>Cargue primero un modelo: un z se lee para el modelo que lo decodifica.</translation>
    </message>
    <message>
        <source>%1 is larger than 256 MB, too large for a z.</source>
        <translation>%1 ocupa más de 256 MB, demasiado para un z.</translation>
    </message>
    <message>
        <source>The image shown has no z (a remote endpoint returns only the latent).</source>
        <translation>La imagen mostrada no tiene z (un endpoint remoto solo devuelve el latente).</translation>
    </message>
    <message>
        <source>Load a model to decode.</source>
        <translation>Cargue un modelo para decodificar.</translation>
    </message>
    <message>
        <source>Nothing decoded yet to export.</source>
        <translation>Aún no hay nada decodificado para exportar.</translation>
    </message>
    <message>
        <source>The inputs changed since the result shown was decoded; wait for the new decode.</source>
        <translation>Las entradas cambiaron desde la decodificación mostrada; espere la nueva.</translation>
    </message>
    <message>
        <source>An export is being written; wait for it to finish.</source>
        <translation>Se está escribiendo una exportación; espere a que termine.</translation>
    </message>
    <message>
        <source>A&apos;s z is %1 but B&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>El z de A es %1 pero el de B es %2: la interpolación necesita dos z de la misma forma (imágenes del mismo tamaño, codificadas por el mismo modelo).</translation>
    </message>
    <message>
        <source>%1 looks like a stage-2 latent: the decoder takes z (the _z.npy file), so its decode is not a faithful reconstruction.</source>
        <translation>%1 parece un latente de etapa 2: el decodificador toma z (el archivo _z.npy), así que su decodificación no es una reconstrucción fiel.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLabPanel</name>
    <message>
        <source>Open z</source>
        <translation>Abrir z</translation>
    </message>
    <message>
        <source>z arrays (*_z.npy *.npy)</source>
        <translation>Arrays z (*_z.npy *.npy)</translation>
    </message>
    <message>
        <source>Export edited z, decode and recipe</source>
        <translation>Exportar el z editado, la decodificación y la receta</translation>
    </message>
    <message>
        <source>Latent recipes (*_recipe.json)</source>
        <translation>Recetas latentes (*_recipe.json)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s).</source>
        <translation>
            <numerusform>%n archivo exportado.</numerusform>
            <numerusform>%n archivos exportados.</numerusform>
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
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Decoding… (the view shows the last finished decode)</source>
        <translation>Decodificando… (la vista muestra la última decodificación terminada)</translation>
    </message>
    <message>
        <source>Largest change from the edits: %1 (model space, -1 to 1)</source>
        <translation>Mayor cambio por las ediciones: %1 (espacio del modelo, -1 a 1)</translation>
    </message>
    <message>
        <source>Open a z file, or take the z of the image shown in Inspect.</source>
        <translation>Abra un archivo z, o tome el z de la imagen mostrada en Inspeccionar.</translation>
    </message>
    <message>
        <source>Decoding takes z (the _z.npy file); the stage-2 latent (_latent.npy) is the input for downstream models and does not decode faithfully. On the CPU a full-size model takes seconds per decode.</source>
        <translation>La decodificación toma z (el archivo _z.npy); el latente de etapa 2 (_latent.npy) es la entrada de los modelos posteriores y no se decodifica fielmente. En la CPU, un modelo de tamaño completo tarda segundos por decodificación.</translation>
    </message>
    <message>
        <source>Open z…</source>
        <translation>Abrir z…</translation>
    </message>
    <message>
        <source>From Inspect</source>
        <translation>De Inspeccionar</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Lineal</translation>
    </message>
    <message>
        <source>Spherical (slerp)</source>
        <translation>Esférica (slerp)</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Escalar</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Desplazar</translation>
    </message>
    <message>
        <source>Zero</source>
        <translation>Poner a cero</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>Intercambiar</translation>
    </message>
    <message>
        <source>Add noise</source>
        <translation>Añadir ruido</translation>
    </message>
    <message>
        <source>channel </source>
        <translation>canal </translation>
    </message>
    <message>
        <source>with </source>
        <translation>con </translation>
    </message>
    <message>
        <source>value </source>
        <translation>valor </translation>
    </message>
    <message>
        <source>seed </source>
        <translation>semilla </translation>
    </message>
    <message>
        <source>Add edit</source>
        <translation>Añadir edición</translation>
    </message>
    <message>
        <source>Remove edit</source>
        <translation>Quitar edición</translation>
    </message>
    <message>
        <source>PNG 8-bit</source>
        <translation>PNG de 8 bits</translation>
    </message>
    <message>
        <source>PNG 16-bit</source>
        <translation>PNG de 16 bits</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Decoded (edited z)</source>
        <translation>Decodificado (z editado)</translation>
    </message>
    <message>
        <source>Difference to the unedited decode</source>
        <translation>Diferencia con la decodificación sin editar</translation>
    </message>
    <message>
        <source>Reading the z file…</source>
        <translation>Leyendo el archivo z…</translation>
    </message>
    <message>
        <source>Writing the export…</source>
        <translation>Escribiendo la exportación…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentMaps</name>
    <message>
        <source>no array</source>
        <translation>ninguna matriz</translation>
    </message>
    <message>
        <source>expected an array of shape [C, h, w], got %1 dimensions</source>
        <translation>se esperaba una matriz de forma [C, h, w] y tiene %1 dimensiones</translation>
    </message>
    <message>
        <source>the array is empty</source>
        <translation>la matriz está vacía</translation>
    </message>
    <message>
        <source>the array is too large to show (%1 × %2 × %3)</source>
        <translation>la matriz es demasiado grande para mostrarla (%1 × %2 × %3)</translation>
    </message>
    <message>
        <source>the array is not floating point</source>
        <translation>la matriz no es de coma flotante</translation>
    </message>
    <message>
        <source>Cannot show the latent: %1.</source>
        <translation>No se puede mostrar el latente: %1.</translation>
    </message>
    <message>
        <source>its shape differs from the latent&apos;s</source>
        <translation>su forma difiere de la del latente</translation>
    </message>
    <message>
        <source>Cannot show z: %1.</source>
        <translation>No se puede mostrar z: %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentPanel</name>
    <message>
        <source>latent</source>
        <translation>latente</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <source>Colormap:</source>
        <translation>Mapa de color:</translation>
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
        <translation>divergente (0 = blanco)</translation>
    </message>
    <message>
        <source>Shared range</source>
        <translation>Rango común</translation>
    </message>
    <message>
        <source>Per-channel range</source>
        <translation>Rango por canal</translation>
    </message>
    <message>
        <source>Percentiles:</source>
        <translation>Percentiles:</translation>
    </message>
    <message>
        <source>Lower clipping percentile</source>
        <translation>Percentil de recorte inferior</translation>
    </message>
    <message>
        <source>Upper clipping percentile</source>
        <translation>Percentil de recorte superior</translation>
    </message>
    <message>
        <source>Composite R G B:</source>
        <translation>Compuesto R G B:</translation>
    </message>
    <message>
        <source>False-colour composite of three channels, each scaled to its own percentile range</source>
        <translation>Compuesto en falso color de tres canales, cada uno escalado a su propio rango de percentiles</translation>
    </message>
    <message>
        <source>Export channel PNG…</source>
        <translation>Exportar canal como PNG…</translation>
    </message>
    <message>
        <source>Export grid PNG…</source>
        <translation>Exportar cuadrícula como PNG…</translation>
    </message>
    <message>
        <source>Export .npy…</source>
        <translation>Exportar .npy…</translation>
    </message>
    <message>
        <source>Channel %1</source>
        <translation>Canal %1</translation>
    </message>
    <message>
        <source>z (stage 1): the autoencoder&apos;s latent, what decode takes to reconstruct the image.</source>
        <translation>z (etapa 1): el latente del autocodificador, lo que toma la decodificación para reconstruir la imagen.</translation>
    </message>
    <message>
        <source>latent (stage 2): what the model card&apos;s endpoint returns, the input for downstream models.</source>
        <translation>latente (etapa 2): lo que devuelve el punto de conexión de la ficha del modelo, la entrada de los modelos posteriores.</translation>
    </message>
    <message>
        <source>Stage 2 latent, as the model card&apos;s endpoint returns it</source>
        <translation>Latente de la etapa 2, tal como lo devuelve el punto de conexión de la ficha del modelo</translation>
    </message>
    <message>
        <source>z is not available for this result: remote endpoints return only the latent</source>
        <translation>z no está disponible para este resultado: los puntos de conexión remotos solo devuelven el latente</translation>
    </message>
    <message>
        <source>Stage 1 latent z, the input of decode</source>
        <translation>Latente z de la etapa 1, la entrada de la decodificación</translation>
    </message>
    <message>
        <source>min %1  max %2</source>
        <translation>mín %1  máx %2</translation>
    </message>
    <message>
        <source>mean %1  std %2</source>
        <translation>media %1  desv. %2</translation>
    </message>
    <message>
        <source>shown %1 to %2</source>
        <translation>mostrado de %1 a %2</translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s)</source>
        <translation>
            <numerusform>%n valor no finito</numerusform>
            <numerusform>%n valores no finitos</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 composite (x %2, y %3): %4</source>
        <translation>%1 compuesto (x %2, y %3): %4</translation>
    </message>
    <message>
        <source>%1 channel %2 (x %3, y %4): %5</source>
        <translation>%1 canal %2 (x %3, y %4): %5</translation>
    </message>
    <message>
        <source>Export channel as PNG</source>
        <translation>Exportar el canal como PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 guardado</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>La exportación falló: %1</translation>
    </message>
    <message>
        <source>Export grid as PNG</source>
        <translation>Exportar la cuadrícula como PNG</translation>
    </message>
    <message>
        <source>Export array as .npy</source>
        <translation>Exportar la matriz como .npy</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>Matrices NumPy (*.npy)</translation>
    </message>
    <message>
        <source>The latent channels appear here once an image is computed.</source>
        <translation>Los canales latentes aparecen aquí en cuanto se calcula una imagen.</translation>
    </message>
    <message>
        <source>Channels %1, %2, %3 as RGB</source>
        <translation>Canales %1, %2, %3 como RGB</translation>
    </message>
</context>
<context>
    <name>medvae::ui::MainWindow</name>
    <message>
        <source>Load checkpoint</source>
        <translation>Cargar checkpoint</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>MedVAE Studio</source>
        <translation>MedVAE Studio</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>Inspeccionar</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open Images…</source>
        <translation>&amp;Abrir imágenes…</translation>
    </message>
    <message>
        <source>Open image files (PNG, JPEG, TIFF, DICOM, …)</source>
        <translation>Abrir archivos de imagen (PNG, JPEG, TIFF, DICOM, …)</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>Abrir &amp;carpeta…</translation>
    </message>
    <message>
        <source>Open &amp;URL…</source>
        <translation>Abrir &amp;URL…</translation>
    </message>
    <message>
        <source>&amp;Paste Image or Path</source>
        <translation>&amp;Pegar imagen o ruta</translation>
    </message>
    <message>
        <source>Load &amp;Checkpoint…</source>
        <translation>Cargar &amp;checkpoint…</translation>
    </message>
    <message>
        <source>&amp;Close Image</source>
        <translation>&amp;Cerrar la imagen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ejecutar</translation>
    </message>
    <message>
        <source>&amp;Recompute</source>
        <translation>&amp;Recalcular</translation>
    </message>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>&amp;Cancelar el trabajo</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About MedVAE Studio</source>
        <translation>&amp;Acerca de MedVAE Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Acerca de &amp;Qt</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Imágenes</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>No images found in what was opened.</source>
        <translation>No se encontraron imágenes en lo abierto.</translation>
    </message>
    <message>
        <source>Open Images</source>
        <translation>Abrir imágenes</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;All files (*)</source>
        <translation>Imágenes (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Abrir carpeta</translation>
    </message>
    <message>
        <source>Open URL</source>
        <translation>Abrir URL</translation>
    </message>
    <message>
        <source>Image address (http, https or data: URI):</source>
        <translation>Dirección de la imagen (http, https o URI data:):</translation>
    </message>
    <message>
        <source>The clipboard holds no image, path or address.</source>
        <translation>El portapapeles no contiene ninguna imagen, ruta ni dirección.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;Inspect what MedVAE medical-image autoencoders keep and lose: latents, reconstructions and their errors.&lt;/p&gt;&lt;p&gt;The bundled demo model was trained by this project and is not MedVAE&apos;s published weights.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bundled parts and their licences&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — zlib licence&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Sample images and the demo model&apos;s training data: Colin27 T1 templates (Holmes et al. 1998, as distributed with MRIcron) — BSD-3-Clause, Copyright 2006-2010 Chris Rorden.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;Examine lo que los autocodificadores de imágenes médicas MedVAE conservan y pierden: latentes, reconstrucciones y sus errores.&lt;/p&gt;&lt;p&gt;El modelo de demostración incluido fue entrenado por este proyecto y no son los pesos publicados de MedVAE.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Componentes incluidos y sus licencias&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — licencia zlib&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Imágenes de ejemplo y datos de entrenamiento del modelo de demostración: plantillas T1 Colin27 (Holmes et al. 1998, tal como se distribuyen con MRIcron) — BSD-3-Clause, Copyright 2006-2010 Chris Rorden.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About MedVAE Studio</source>
        <translation>Acerca de MedVAE Studio</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>&amp;Local Engine</source>
        <translation>Motor &amp;local</translation>
    </message>
    <message>
        <source>Remote &amp;Endpoint (Active Profile)</source>
        <translation>Punto de conexión &amp;remoto (perfil activo)</translation>
    </message>
    <message>
        <source>Endpoint &amp;Profiles…</source>
        <translation>&amp;Perfiles de puntos de conexión…</translation>
    </message>
    <message>
        <source>Latent lab</source>
        <translation>Laboratorio latente</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>No hay ningún perfil de punto de conexión activo: elija uno en Ejecutar ▸ Perfiles de puntos de conexión.</translation>
    </message>
    <message>
        <source>P&amp;ACS Browser…</source>
        <translation>Explorador P&amp;ACS…</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n file(s) to group series…</source>
        <translation>
            <numerusform>Leyendo %n archivo para agrupar series…</numerusform>
            <numerusform>Leyendo %n archivos para agrupar series…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelBChooser</name>
    <message>
        <source>&lt;b&gt;Compare with a second model (B)&lt;/b&gt;</source>
        <translation>&lt;b&gt;Comparar con un segundo modelo (B)&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Off: the Inspect tab shows the loaded model alone.</source>
        <translation>Desactivado: la pestaña Inspeccionar muestra solo el modelo cargado.</translation>
    </message>
    <message>
        <source>Model B: %1. The Inspect tab shows A and B side by side.</source>
        <translation>Modelo B: %1. La pestaña Inspeccionar muestra A y B lado a lado.</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>Comparar con…</translation>
    </message>
    <message>
        <source>Choose a second checkpoint; it must take the same input channels as the loaded model (its factor and latent channels may differ).</source>
        <translation>Elija un segundo checkpoint; debe tomar los mismos canales de entrada que el modelo cargado (su factor y sus canales latentes pueden diferir).</translation>
    </message>
    <message>
        <source>Stop comparing</source>
        <translation>Dejar de comparar</translation>
    </message>
    <message>
        <source>Compare with checkpoint</source>
        <translation>Comparar con checkpoint</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Model B: the endpoint %1. The Inspect tab shows A and B side by side.</source>
        <translation>Modelo B: el punto de conexión %1. La pestaña Inspeccionar muestra A y B lado a lado.</translation>
    </message>
    <message>
        <source>Compare with the endpoint…</source>
        <translation>Comparar con el punto de conexión…</translation>
    </message>
    <message>
        <source>No endpoint profile is active: add one in Run ▸ Endpoint Profiles.</source>
        <translation>No hay ningún perfil de punto de conexión activo: añada uno en Ejecutar ▸ Perfiles de puntos de conexión.</translation>
    </message>
    <message>
        <source>Compare with the active endpoint profile %1 (images are sent to it).</source>
        <translation>Comparar con el perfil de punto de conexión activo %1 (se le envían las imágenes).</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelPanel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>Load checkpoint file…</source>
        <translation>Cargar archivo de checkpoint…</translation>
    </message>
    <message>
        <source>MedVAE checkpoints in the Hugging Face cache:</source>
        <translation>Checkpoints de MedVAE en la caché de Hugging Face:</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Cargar</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Look again in %1</source>
        <translation>Buscar de nuevo en %1</translation>
    </message>
    <message>
        <source>Download MedVAE weights from Hugging Face:</source>
        <translation>Descargar los pesos de MedVAE de Hugging Face:</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Dispositivo:</translation>
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
        <translation>CUDA no está disponible: esta compilación de LibTorch no admite CUDA o no se encontró ninguna GPU.</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Precisión:</translation>
    </message>
    <message>
        <source>float32 (exact)</source>
        <translation>float32 (exacto)</translation>
    </message>
    <message>
        <source>bfloat16 (faster, approximate)</source>
        <translation>bfloat16 (más rápido, aproximado)</translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation>Hilos de CPU:</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>todos los núcleos</translation>
    </message>
    <message>
        <source>Sample z from the posterior (otherwise its mean)</source>
        <translation>Muestrear z de la posterior (si no, su media)</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Semilla:</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Ningún modelo cargado.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo model&lt;/b&gt; trained by this project — not MedVAE&apos;s published weights.&lt;br&gt;</source>
        <translation>&lt;b&gt;Modelo de demostración&lt;/b&gt; entrenado por este proyecto — no son los pesos publicados de MedVAE.&lt;br&gt;</translation>
    </message>
    <message>
        <source>Variant: %1&lt;br&gt;Factor: %2 per side&lt;br&gt;Channels: %3 in, %4 latent&lt;br&gt;</source>
        <translation>Variante: %1&lt;br&gt;Factor: %2 por lado&lt;br&gt;Canales: %3 de entrada, %4 latentes&lt;br&gt;</translation>
    </message>
    <message>
        <source>Parameters: %1&lt;br&gt;</source>
        <translation>Parámetros: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Device: %1&lt;br&gt;Precision: %2&lt;br&gt;</source>
        <translation>Dispositivo: %1&lt;br&gt;Precisión: %2&lt;br&gt;</translation>
    </message>
    <message>
        <source>File: %1&lt;br&gt;</source>
        <translation>Archivo: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>SHA-256: %1</source>
        <translation>SHA-256: %1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>No se pudo cargar el modelo: %1</translation>
    </message>
    <message>
        <source>Load checkpoint</source>
        <translation>Cargar checkpoint</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Descargando %1…</translation>
    </message>
    <message>
        <source>Downloaded to %1
SHA-256: %2</source>
        <translation>Descargado en %1
SHA-256: %2</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept.</source>
        <translation>Descarga cancelada; no se conservó nada.</translation>
    </message>
    <message>
        <source>Download failed: %1</source>
        <translation>La descarga falló: %1</translation>
    </message>
    <message>
        <source>Sample z</source>
        <translation>Muestrear z</translation>
    </message>
    <message>
        <source>&lt;b&gt;Remote endpoint&lt;/b&gt;: images are encoded on %1, not on this computer.&lt;br&gt;</source>
        <translation>&lt;b&gt;Endpoint remoto&lt;/b&gt;: las imágenes se codifican en %1, no en este equipo.&lt;br&gt;</translation>
    </message>
    <message>
        <source>Deployment: %1&lt;br&gt;</source>
        <translation>Implementación: %1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Channels: %1 in, %2 latent&lt;br&gt;</source>
        <translation>Canales: %1 de entrada, %2 latentes&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: none yet&lt;br&gt;</source>
        <translation>Último viaje de ida y vuelta: ninguno aún&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: %1 ms&lt;br&gt;</source>
        <translation>Último viaje de ida y vuelta: %1 ms&lt;br&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;The endpoint returns the reconstruction clamped and rounded to 8 bits, so PSNR and SSIM differ slightly from the local engine&apos;s.&lt;/i&gt;</source>
        <translation>&lt;i&gt;El endpoint devuelve la reconstrucción recortada y redondeada a 8 bits, por lo que PSNR y SSIM difieren ligeramente de los del motor local.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Applies to the local engine only.</source>
        <translation>Solo se aplica al motor local.</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>ninguno encontrado</translation>
    </message>
    <message>
        <source>Looked in %1</source>
        <translation>Buscado en %1</translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation>Dispositivo CUDA %1</translation>
    </message>
    <message>
        <source>float16 (CUDA only, approximate)</source>
        <translation>float16 (solo CUDA, aproximado)</translation>
    </message>
    <message>
        <source>float16: the fastest, approximate; on CUDA devices only</source>
        <translation>float16: el más rápido, aproximado; solo en dispositivos CUDA</translation>
    </message>
    <message>
        <source>Tiled (approximate)</source>
        <translation>En mosaicos (aproximado)</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Tiled: tiles of %1 px, %2 px overlap (approximate results)&lt;br&gt;</source>
        <translation>En mosaicos: mosaicos de %1 px, solapamiento de %2 px (resultados aproximados)&lt;br&gt;</translation>
    </message>
    <message>
        <source>For images too large for this computer&apos;s memory: overlapping tiles, blended. The result is an approximation of the exact one and says how far the tiles disagreed.</source>
        <translation>Para imágenes demasiado grandes para la memoria de este equipo: mosaicos solapados y fundidos. El resultado es una aproximación del exacto e indica cuánto discreparon los mosaicos.</translation>
    </message>
    <message>
        <source>Not with tiles: each tile would draw its own noise.</source>
        <translation>No con mosaicos: cada mosaico tomaría su propio ruido.</translation>
    </message>
    <message>
        <source>Tile size</source>
        <translation>Tamaño de mosaico</translation>
    </message>
    <message>
        <source>Tile size: the side of each tile in pixels</source>
        <translation>Tamaño de mosaico: el lado de cada mosaico en píxeles</translation>
    </message>
</context>
<context>
    <name>medvae::ui::PacsBrowser</name>
    <message>
        <source>&amp;Servers…</source>
        <translation>&amp;Servidores…</translation>
    </message>
    <message>
        <source>Archive:</source>
        <translation>Archivo:</translation>
    </message>
    <message>
        <source>Searc&amp;h</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>como máximo </translation>
    </message>
    <message>
        <source> studies</source>
        <translation> estudios</translation>
    </message>
    <message>
        <source>Ne&amp;xt page</source>
        <translation>Página &amp;siguiente</translation>
    </message>
    <message>
        <source>Retrieving: %1 of %2 instances (%3 MB)…</source>
        <translation>Recuperando: %1 de %2 instancias (%3 MB)…</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>Nombre del paciente</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>ID del paciente</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Study date</source>
        <translation>Fecha del estudio</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>Modalidades</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>N.º de acceso</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Series</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Número</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>Instancias</translation>
    </message>
    <message>
        <source>&amp;Retrieve series</source>
        <translation>&amp;Recuperar la serie</translation>
    </message>
    <message>
        <source>Retrieve s&amp;tudy</source>
        <translation>Recuperar el es&amp;tudio</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>C&amp;lear cache</source>
        <translation>&amp;Vaciar la caché</translation>
    </message>
    <message>
        <source>Add a PACS server first (Servers…).</source>
        <translation>Añada primero un servidor PACS (Servidores…).</translation>
    </message>
    <message>
        <source>Searching %1…</source>
        <translation>Buscando en %1…</translation>
    </message>
    <message>
        <source>No studies match.</source>
        <translation>Ningún estudio coincide.</translation>
    </message>
    <message>
        <source>Studies %1–%2 shown; more match (Next page, or narrow the search).</source>
        <translation>Se muestran los estudios %1–%2; hay más (Página siguiente, o acote la búsqueda).</translation>
    </message>
    <message>
        <source>Studies %1–%2 (the last).</source>
        <translation>Estudios %1–%2 (los últimos).</translation>
    </message>
    <message>
        <source>Listing the series…</source>
        <translation>Listando las series…</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>Sin vista previa: %1</translation>
    </message>
    <message>
        <source>Retrieving…</source>
        <translation>Recuperando…</translation>
    </message>
    <message>
        <source>Cancelling the retrieval…</source>
        <translation>Cancelando la recuperación…</translation>
    </message>
    <message>
        <source>Retrieved; the images are in the Images list.</source>
        <translation>Recuperado; las imágenes están en la lista Imágenes.</translation>
    </message>
    <message>
        <source>The cache of retrieved images is empty.</source>
        <translation>La caché de imágenes recuperadas está vacía.</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>Estudios encontrados: %1.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::RecentSources</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;recientes</translation>
    </message>
    <message>
        <source>Clear Recent</source>
        <translation>Borrar recientes</translation>
    </message>
</context>
<context>
    <name>medvae::ui::SourceOpener</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>No se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>Opened the first %1 images; %2 more were left out.</source>
        <translation>Se abrieron las primeras %1 imágenes; se omitieron %2 más.</translation>
    </message>
</context>
<context>
    <name>medvae::ui::StudyQueryForm</name>
    <message>
        <source>Study &amp;date from</source>
        <translation>&amp;Fecha del estudio desde</translation>
    </message>
    <message>
        <source>to</source>
        <translation>hasta</translation>
    </message>
    <message>
        <source>Patient &amp;ID:</source>
        <translation>&amp;ID del paciente:</translation>
    </message>
    <message>
        <source>Patient &amp;name:</source>
        <translation>&amp;Nombre del paciente:</translation>
    </message>
    <message>
        <source>&amp;Modality:</source>
        <translation>&amp;Modalidad:</translation>
    </message>
    <message>
        <source>A&amp;ccession number:</source>
        <translation>Número de a&amp;cceso:</translation>
    </message>
    <message>
        <source>Study d&amp;escription:</source>
        <translation>D&amp;escripción del estudio:</translation>
    </message>
</context>
<context>
    <name>medvae::ui::WindowedImage</name>
    <message>
        <source>Soft tissue</source>
        <translation>Tejido blando</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>Pulmón</translation>
    </message>
    <message>
        <source>Liver</source>
        <translation>Hígado</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>Hueso</translation>
    </message>
    <message>
        <source>Brain</source>
        <translation>Cerebro</translation>
    </message>
    <message>
        <source>File window %1</source>
        <translation>Ventana %1 del archivo</translation>
    </message>
    <message>
        <source>Full range (0.1-99.9 %)</source>
        <translation>Rango completo (0,1–99,9 %)</translation>
    </message>
    <message>
        <source>%1 (W %2 / L %3)</source>
        <translation>%1 (A %2 / N %3)</translation>
    </message>
</context>
</TS>
