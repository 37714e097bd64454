<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ErrorWording</name>
    <message>
        <source>&apos;%1&apos; does not exist (and is not an http(s)/file/data URL or base64 data)</source>
        <translation>“%1”不存在（也不是 http(s)/file/data URL 或 base64 数据）</translation>
    </message>
    <message>
        <source>cannot open &apos;%1&apos;: %2</source>
        <translation>无法打开“%1”：%2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is empty (0 bytes)</source>
        <translation>“%1”为空（0 字节）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an image this program can read (unrecognised contents)</source>
        <translation>“%1”不是本程序能读取的图像（无法识别的内容）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a readable DICOM file (%2)</source>
        <translation>“%1”不是可读取的 DICOM 文件（%2）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a DICOM file without pixel data</source>
        <translation>“%1”是不含像素数据的 DICOM 文件</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is neither a PyTorch checkpoint (zip) nor a safetensors file (unrecognised contents; is it truncated or a different kind of file?)</source>
        <translation>“%1”既不是 PyTorch 检查点（zip）也不是 safetensors 文件（无法识别的内容；文件是否被截断或属于其他类型？）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a checkpoint in PyTorch&apos;s legacy (pre-1.6) format, which is not supported; load it in Python and save it again with torch.save</source>
        <translation>“%1”是旧版 PyTorch（1.6 之前）格式的检查点，不受支持；请在 Python 中加载后用 torch.save 重新保存</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: out of memory while reading the checkpoint</source>
        <translation>“%1”：读取检查点时内存不足</translation>
    </message>
    <message>
        <source>Connection refused by %1: nothing listens there (check the port, or whether the server runs)</source>
        <translation>%1 拒绝连接：该处没有服务在监听（请检查端口，或服务器是否在运行）</translation>
    </message>
    <message>
        <source>DNS: the host name &apos;%1&apos; could not be resolved; check the scoring URI and the network</source>
        <translation>DNS：无法解析主机名“%1”；请检查评分 URI 和网络</translation>
    </message>
    <message>
        <source>Connecting to %1 timed out</source>
        <translation>连接 %1 超时</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>与 %1 通信时出现网络错误：%2</translation>
    </message>
    <message>
        <source>cannot create the output folder &apos;%1&apos;: %2</source>
        <translation>无法创建输出文件夹“%1”：%2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (%2) would need about %3, over the memory budget of %4; nothing was decoded. Use a smaller image or bfloat16 precision, or raise the budget (--max-memory-gb, or MEDVAE_MAX_MEMORY_GB) if the machine has the memory</source>
        <translation>“%1”（%2）大约需要 %3，超出 %4 的内存预算；未进行解码。请使用更小的图像或 bfloat16 精度，或在机器内存充足时提高预算（--max-memory-gb 或 MEDVAE_MAX_MEMORY_GB）</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid DICOM file (%2)</source>
        <translation>“%1”不是有效的 DICOM 文件（%2）</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; reconstructions agree to %4 dB</source>
        <translation>分块：%1 块，每块 %2 像素（重叠 %3 像素），为精确结果的近似；重叠分块的重建一致度为 %4 dB</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result; overlapping tiles&apos; z differ by %4 of its RMS</source>
        <translation>分块：%1 块，每块 %2 像素（重叠 %3 像素），为精确结果的近似；重叠分块的 z 相差其均方根的 %4</translation>
    </message>
    <message>
        <source>tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact result</source>
        <translation>分块：%1 块，每块 %2 像素（重叠 %3 像素），为精确结果的近似</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Images will be sent to the endpoint &quot;%1&quot; at %2 for encoding.

Only pixels leave this machine, re-encoded as PNG: no DICOM header, no file names, no patient data fields. Whoever runs %2 can see the images.%3

Send images to this endpoint?</source>
        <translation>图像将被发送到位于 %2 的端点“%1”进行编码。

只有像素会离开本机，并重新编码为 PNG：不含 DICOM 头、文件名或患者数据字段。运营 %2 的人可以看到这些图像。%3

要将图像发送到此端点吗？</translation>
    </message>
    <message>
        <source> Images opened from a web address are sent as that address, and the endpoint downloads them itself.</source>
        <translation> 从网址打开的图像将以该网址发送，由端点自行下载。</translation>
    </message>
    <message>
        <source>Send images to an endpoint?</source>
        <translation>要将图像发送到端点吗？</translation>
    </message>
</context>
<context>
    <name>SessionKeyPrompt</name>
    <message>
        <source>The key of the endpoint &quot;%1&quot; cannot be read from the system keychain:
%2

Enter the key to use it for this session only: it is kept in memory and never written, and asked for again after a restart. Leave the field empty if the endpoint takes no key.</source>
        <translation>无法从系统钥匙串读取端点“%1”的密钥：
%2

输入密钥即可仅在本次会话中使用：密钥只保存在内存中，从不写入，重启后会再次询问。如果该端点不需要密钥，请将此字段留空。</translation>
    </message>
    <message>
        <source>Key for this session</source>
        <translation>本次会话的密钥</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Inspect the latents and reconstructions of MedVAE medical-image autoencoders.</source>
        <translation>检查 MedVAE 医学图像自编码器的潜变量与重建结果。</translation>
    </message>
    <message>
        <source>Checkpoint to load instead of the remembered one.</source>
        <translation>要加载的检查点（代替上次记住的）。</translation>
    </message>
    <message>
        <source>Save the window to FILE once the first result is shown, then quit.</source>
        <translation>显示第一个结果后将窗口保存到 FILE，然后退出。</translation>
    </message>
    <message>
        <source>Image files, folders or URLs.</source>
        <translation>图像文件、文件夹或 URL。</translation>
    </message>
</context>
<context>
    <name>medvae::jobs::ModelDownloader</name>
    <message>
        <source>&quot;%1&quot; is not a checkpoint file name.</source>
        <translation>“%1”不是检查点文件名。</translation>
    </message>
    <message>
        <source>Cannot download from &quot;%1&quot;: not an http(s) address.</source>
        <translation>无法从“%1”下载：不是 http(s) 地址。</translation>
    </message>
    <message>
        <source>Cannot create the model cache folder %1.</source>
        <translation>无法创建模型缓存文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The checkpoint is %1, over the download limit of %2.</source>
        <translation>检查点大小为 %1，超过了 %2 的下载上限。</translation>
    </message>
    <message>
        <source>The download exceeded the limit of %1.</source>
        <translation>下载超过了 %1 的上限。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>The server sent nothing for %1 s; the download was stopped.</source>
        <translation>服务器 %1 秒内未发送任何数据；下载已停止。</translation>
    </message>
    <message>
        <source>The server answered %1 %2 for %3.</source>
        <translation>服务器对 %3 的响应为 %1 %2。</translation>
    </message>
    <message>
        <source>Download of %1 failed: %2</source>
        <translation>下载 %1 失败：%2</translation>
    </message>
    <message>
        <source>The download ended after %1 of %2; the file is incomplete.</source>
        <translation>下载在 %1（共 %2）后中断；文件不完整。</translation>
    </message>
    <message>
        <source>The server sent an empty file.</source>
        <translation>服务器发送了空文件。</translation>
    </message>
    <message>
        <source>Cannot create the folder for %1.</source>
        <translation>无法为 %1 创建文件夹。</translation>
    </message>
    <message>
        <source>Cannot move the download to %1: %2</source>
        <translation>无法将下载内容移动到 %1：%2</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ABComparePanel</name>
    <message>
        <source>Original</source>
        <translation>原图</translation>
    </message>
    <message>
        <source>Reconstruction A</source>
        <translation>重建 A</translation>
    </message>
    <message>
        <source>Reconstruction A: %1</source>
        <translation>重建 A：%1</translation>
    </message>
    <message>
        <source>Reconstruction B</source>
        <translation>重建 B</translation>
    </message>
    <message>
        <source>Reconstruction B: %1</source>
        <translation>重建 B：%1</translation>
    </message>
    <message>
        <source>Error A |original − A|</source>
        <translation>误差 A |原图 − A|</translation>
    </message>
    <message>
        <source>Error B |original − B| (same scale)</source>
        <translation>误差 B |原图 − B|（同一色标）</translation>
    </message>
    <message>
        <source>|error A| − |error B|: red where B is closer, blue where A is</source>
        <translation>|误差 A| − |误差 B|：红色处 B 更接近，蓝色处 A 更接近</translation>
    </message>
    <message>
        <source>The two reconstructions cannot be compared.</source>
        <translation>两个重建无法比较。</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>像素值</translation>
    </message>
    <message>
        <source>A and B: one scale</source>
        <translation>A 与 B：同一色标</translation>
    </message>
    <message>
        <source>Both heatmaps span 0 to the larger of their 99th percentiles of |error|, so that equal colours mean equal errors; larger errors take the top colour.</source>
        <translation>两张热图的范围均为 0 到二者 |误差| 第 99 百分位数中的较大者，因此相同颜色表示相同误差；更大的误差取最上端颜色。</translation>
    </message>
    <message>
        <source>red: B better
blue: A better</source>
        <translation>红色：B 更好
蓝色：A 更好</translation>
    </message>
    <message>
        <source>|error A| − |error B| per pixel, from −p to p (p its 99th percentile of magnitude): positive (red) where B&apos;s reconstruction is closer to the original, negative (blue) where A&apos;s is, white where they are equal.</source>
        <translation>逐像素的 |误差 A| − |误差 B|，范围 −p 到 p（p 为其绝对值的第 99 百分位数）：正值（红色）表示 B 的重建更接近原图，负值（蓝色）表示 A 的更接近，白色表示二者相同。</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞（完全相同）</translation>
    </message>
    <message>
        <source>%1 (%2, %3×, %4 latent channels): PSNR %5 · SSIM %6 · MAE %7 · max error %8</source>
        <translation>%1（%2，%3×，%4 个潜在通道）：PSNR %5 · SSIM %6 · MAE %7 · 最大误差 %8</translation>
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
        <translation>B 在 %1 % 的像素上更接近，A 在 %2 % 的像素上更接近</translation>
    </message>
    <message>
        <source>Maps of the area both models reconstructed, %1×%2 of %3×%4 (each model&apos;s output is a multiple of its factor per side); each model&apos;s metrics are over its own area.</source>
        <translation>两个模型都重建的区域的图，%3×%4 中的 %1×%2（每个模型的输出每边都是其因子的倍数）；每个模型的指标基于其自身区域。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ArchiveProfilesDialog</name>
    <message>
        <source>PACS servers</source>
        <translation>PACS 服务器</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>测试连接(&amp;C)</translation>
    </message>
    <message>
        <source>DICOMweb: http://host:8042/dicom-web   DIMSE: AET@host:port</source>
        <translation>DICOMweb：http://主机:8042/dicom-web   DIMSE：AET@主机:端口</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>User and password (Basic)</source>
        <translation>用户名和密码（Basic）</translation>
    </message>
    <message>
        <source>Token (Bearer)</source>
        <translation>令牌（Bearer）</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>存储在系统钥匙串中；留空则保留</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>地址(&amp;D)：</translation>
    </message>
    <message>
        <source>Calling &amp;AE title (DIMSE):</source>
        <translation>调用方 AE 标题（DIMSE）(&amp;A)：</translation>
    </message>
    <message>
        <source>A&amp;uthentication (DICOMweb):</source>
        <translation>身份验证（DICOMweb）(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password or token:</source>
        <translation>密码或令牌(&amp;P)：</translation>
    </message>
    <message>
        <source>New archive</source>
        <translation>新档案库</translation>
    </message>
    <message>
        <source>New archive %1</source>
        <translation>新档案库 %1</translation>
    </message>
    <message>
        <source>Removing the password or token from the system keychain…</source>
        <translation>正在从系统钥匙串中删除密码或令牌…</translation>
    </message>
    <message>
        <source>A renamed profile needs its password or token typed again.</source>
        <translation>重命名的配置需要重新输入其密码或令牌。</translation>
    </message>
    <message>
        <source>Another profile has that name.</source>
        <translation>已有其他配置使用此名称。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Storing the password or token in the system keychain…</source>
        <translation>正在将密码或令牌存入系统钥匙串…</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the password or token is kept for this session only, in memory.</source>
        <translation>已保存。没有可用的系统钥匙串，因此密码或令牌仅在本次会话中保存在内存里。</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BackendSwitch</name>
    <message>
        <source>The bundled demo model was not found; load a checkpoint.</source>
        <translation>未找到附带的演示模型；请加载检查点。</translation>
    </message>
    <message>
        <source>Loading model %1…</source>
        <translation>正在加载模型 %1…</translation>
    </message>
    <message>
        <source>No local model is loaded; load a checkpoint.</source>
        <translation>未加载本地模型；请加载检查点。</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>没有活动的端点配置：请在“运行 ▸ 端点配置”中选择一个。</translation>
    </message>
    <message>
        <source>Staying with the local engine.</source>
        <translation>继续使用本地引擎。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Model not loaded: %1</source>
        <translation>模型未加载：%1</translation>
    </message>
    <message>
        <source>Model loaded: %1</source>
        <translation>模型已加载：%1</translation>
    </message>
    <message>
        <source>Remote endpoint not available: %1</source>
        <translation>远程端点不可用：%1</translation>
    </message>
    <message>
        <source>Using the remote endpoint %1.</source>
        <translation>正在使用远程端点 %1。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::BatchPanel</name>
    <message>
        <source>Add images</source>
        <translation>添加图像</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Drop image files, folders (DICOM folders too) or URL lists here.</source>
        <translation>将图像文件、文件夹（包括 DICOM 文件夹）或 URL 列表拖放到此处。</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>PSNR (dB)</source>
        <translation>PSNR（dB）</translation>
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
        <translation>潜变量</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <source>Folder for latents, images and the manifest</source>
        <translation>存放潜变量、图像和清单的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>打开输出文件夹</translation>
    </message>
    <message>
        <source>Latent (.npy)</source>
        <translation>潜变量 (.npy)</translation>
    </message>
    <message>
        <source>z (.npy)</source>
        <translation>z (.npy)</translation>
    </message>
    <message>
        <source>Reconstruction (.png)</source>
        <translation>重建 (.png)</translation>
    </message>
    <message>
        <source>Error heatmap (.png)</source>
        <translation>误差热图 (.png)</translation>
    </message>
    <message>
        <source>Latent (.nii.gz)</source>
        <translation>潜变量 (.nii.gz)</translation>
    </message>
    <message>
        <source>Reconstruct and measure</source>
        <translation>重建并度量</translation>
    </message>
    <message>
        <source>Skip finished items</source>
        <translation>跳过已完成的项目</translation>
    </message>
    <message>
        <source>Items already complete in the output folder for the same model and settings are not computed again.</source>
        <translation>输出文件夹中已按相同模型和设置完成的项目不会重新计算。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Same input as %1</source>
        <translation>与 %1 输入相同</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Load a model or connect an endpoint first.</source>
        <translation>请先加载模型或连接端点。</translation>
    </message>
    <message>
        <source>Choose at least one output format.</source>
        <translation>请至少选择一种输出格式。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>, %1 images/s, %2 min %3 s left</source>
        <translation>，%1 张/秒，剩余 %2 分 %3 秒</translation>
    </message>
    <message>
        <source> (paused)</source>
        <translation>（已暂停）</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>已停止：%1</translation>
    </message>
    <message>
        <source>%1 done, %2 skipped, %3 failed, %4 duplicates in %5 s%6</source>
        <translation>完成 %1，跳过 %2，失败 %3，重复 %4，用时 %5 秒%6</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation>（已取消）</translation>
    </message>
    <message>
        <source>The endpoint does not return z (the stage-1 latent).</source>
        <translation>该端点不返回 z（第 1 阶段潜变量）。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>“%1”不存在</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Copy the output folder&apos;s path to the clipboard</source>
        <translation>将输出文件夹的路径复制到剪贴板</translation>
    </message>
    <message>
        <source>The output folder %1 does not exist yet; a run creates it.</source>
        <translation>输出文件夹 %1 尚不存在；运行时会创建它。</translation>
    </message>
    <message>
        <source>No file manager could open %1. Copy the path and open it another way.</source>
        <translation>没有文件管理器能打开 %1。请复制路径并用其他方式打开。</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>已复制 %1</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>报告…</translation>
    </message>
    <message>
        <source>Write the batch fidelity report (report.html) into the output folder</source>
        <translation>将批处理保真度报告（report.html）写入输出文件夹</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在写入报告…</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>报告已写入：%1</translation>
    </message>
    <message>
        <source>The report could not be written: %1</source>
        <translation>无法写入报告：%1</translation>
    </message>
    <message>
        <source>Nothing could open %1.</source>
        <translation>没有程序能打开 %1。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ComparePanel</name>
    <message>
        <source>Original</source>
        <translation>原图</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>重建</translation>
    </message>
    <message>
        <source>Error |original − reconstruction|</source>
        <translation>误差 |原图 − 重建|</translation>
    </message>
    <message>
        <source>Signed difference (reconstruction − original)</source>
        <translation>带符号差值（重建 − 原图）</translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation>绝对误差</translation>
    </message>
    <message>
        <source>Signed difference</source>
        <translation>带符号差值</translation>
    </message>
    <message>
        <source>Heatmap of |original − reconstruction| (magma) or of the signed difference (blue: reconstruction darker, red: brighter)</source>
        <translation>|原图 − 重建| 的热图（magma），或带符号差值的热图（蓝：重建更暗，红：更亮）</translation>
    </message>
    <message>
        <source>Window presets for the original and the reconstruction</source>
        <translation>原图和重建的窗宽窗位预设</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Image information</source>
        <translation>图像信息</translation>
    </message>
    <message>
        <source>Show modality, descriptions, size and frame on the original (hidden by default so screenshots carry no identifiers)</source>
        <translation>在原图上显示模态、描述、尺寸和帧（默认隐藏，以免截图带有身份信息）</translation>
    </message>
    <message>
        <source>Pad input to the factor</source>
        <translation>将输入填充到因子的倍数</translation>
    </message>
    <message>
        <source>Pad the input on the right and bottom to a multiple of the model&apos;s factor so that every pixel is reconstructed</source>
        <translation>在右侧和底部将输入填充到模型因子的倍数，使每个像素都得到重建</translation>
    </message>
    <message>
        <source>The reconstruction cannot be compared: its images differ in size.</source>
        <translation>无法比较重建结果：其图像尺寸不同。</translation>
    </message>
    <message>
        <source>pixel value</source>
        <translation>像素值</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>∞ (identical)</source>
        <translation>∞（完全相同）</translation>
    </message>
    <message>
        <source>PSNR: %1
SSIM: %2
MAE: %3%4
Max error: %5%4
Data range: %6%4</source>
        <translation>PSNR：%1
SSIM：%2
MAE：%3%4
最大误差：%5%4
数据范围：%6%4</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of %5 per side.</source>
        <translation>比较区域 %1×%2（共 %3×%4）：模型输出每边为 %5 的倍数。</translation>
    </message>
    <message>
        <source>Compared area %1×%2 of %3×%4: the model&apos;s output is a multiple of its downsampling factor per side.</source>
        <translation>比较区域 %1×%2（共 %3×%4）：模型输出每边为其下采样因子的倍数。</translation>
    </message>
    <message>
        <source>x %1  y %2
Original: %3
Reconstruction: %4
Difference: %5</source>
        <translation>x %1  y %2
原图：%3
重建：%4
差值：%5</translation>
    </message>
    <message>
        <source>scale: 99th percentile</source>
        <translation>刻度：第 99 百分位数</translation>
    </message>
    <message>
        <source>Colours span −p to p, p the 99th percentile of |reconstruction − original|, so that a few hot pixels do not wash out the map; larger differences take the end colours.</source>
        <translation>颜色范围为 −p 到 p，p 为 |重建 − 原图| 的第 99 百分位数，以免少数过热像素冲淡整幅图；更大的差异取两端颜色。</translation>
    </message>
    <message>
        <source>Colours span 0 to the 99th percentile of |original − reconstruction|, so that a few hot pixels do not wash out the map; larger errors take the top colour. Batch export&apos;s error PNG uses the same scale.</source>
        <translation>颜色范围为 0 到 |原图 − 重建| 的第 99 百分位数，以免少数过热像素冲淡整幅图；更大的误差取最高端颜色。批量导出的误差 PNG 使用相同的刻度。</translation>
    </message>
    <message>
        <source>Link window</source>
        <translation>联动窗宽窗位</translation>
    </message>
    <message>
        <source>Window/level changes on the original or the reconstruction apply to both</source>
        <translation>在原图或重建上调整窗宽窗位时，两者同时改变</translation>
    </message>
    <message>
        <source>The reconstruction and its error appear here once an image is computed.</source>
        <translation>图像计算完成后，重建及其误差将显示在这里。</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>No image yet.

File ▸ Open Images… (%1), Open Folder… or Open URL…
or drop image files or a folder on the window
or paste a path, address or image (%2).</source>
        <translation>尚无图像。

文件 ▸ 打开图像…（%1）、打开文件夹… 或 打开 URL…
或将图像文件或文件夹拖放到窗口上
或粘贴路径、地址或图像（%2）。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::EndpointProfilesDialog</name>
    <message>
        <source>Remote endpoints</source>
        <translation>远程端点</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Use as &amp;active</source>
        <translation>设为活动(&amp;A)</translation>
    </message>
    <message>
        <source>empty: the endpoint&apos;s traffic split</source>
        <translation>留空：使用端点的流量分配</translation>
    </message>
    <message>
        <source>stored in the system keychain; leave empty to keep</source>
        <translation>保存在系统钥匙串中；留空则保留现有密钥</translation>
    </message>
    <message>
        <source>Send images opened from web addresses as their URL</source>
        <translation>从网址打开的图像以其 URL 发送</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Scoring &amp;URI:</source>
        <translation>评分 &amp;URI：</translation>
    </message>
    <message>
        <source>&amp;Deployment:</source>
        <translation>部署(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Timeout per request:</source>
        <translation>每个请求的超时(&amp;T)：</translation>
    </message>
    <message>
        <source>Re&amp;tries:</source>
        <translation>重试次数(&amp;T)：</translation>
    </message>
    <message>
        <source>Requests in &amp;flight:</source>
        <translation>并发请求数(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>测试连接(&amp;C)</translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation>%1（活动）</translation>
    </message>
    <message>
        <source>New endpoint</source>
        <translation>新端点</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>配置文件需要名称。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Testing %1 ...</source>
        <translation>正在测试 %1…</translation>
    </message>
    <message>
        <source>The profile was removed; its key could not be removed from the keychain: %1</source>
        <translation>已删除该配置，但无法从钥匙串中删除其密钥：%1</translation>
    </message>
    <message>
        <source>Saved. No system keychain is available, so the key is kept for this session only: in memory, never written. You will be asked for it again after a restart.</source>
        <translation>已保存。没有可用的系统钥匙串，因此密钥仅在本次会话中保留：只在内存中，从不写入。重启后会再次询问。</translation>
    </message>
    <message>
        <source>Type the key in the Key field and save: it is then kept for this session only.</source>
        <translation>请在“密钥”字段中输入密钥并保存：之后它仅在本次会话中保留。</translation>
    </message>
    <message>
        <source>Removing the key from the system keychain…</source>
        <translation>正在从系统钥匙串中删除密钥…</translation>
    </message>
    <message>
        <source>Storing the key in the system keychain…</source>
        <translation>正在将密钥保存到系统钥匙串…</translation>
    </message>
    <message>
        <source>Reading the key from the system keychain…</source>
        <translation>正在从系统钥匙串读取密钥…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ImageView</name>
    <message>
        <source>Nothing to show: the map is empty.</source>
        <translation>无可显示内容：该图为空。</translation>
    </message>
    <message>
        <source>W %1  L %2</source>
        <translation>窗宽 %1  窗位 %2</translation>
    </message>
    <message>
        <source>%1  %2 to %3</source>
        <translation>%1  %2 至 %3</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>已校准</translation>
    </message>
    <message>
        <source>detector spacing</source>
        <translation>探测器间距</translation>
    </message>
    <message>
        <source>spacing of unknown kind</source>
        <translation>未知类型的间距</translation>
    </message>
    <message>
        <source>%1 mm (%2)</source>
        <translation>%1 毫米（%2）</translation>
    </message>
    <message>
        <source>Modality: %1</source>
        <translation>模态：%1</translation>
    </message>
    <message>
        <source>Study: %1</source>
        <translation>检查：%1</translation>
    </message>
    <message>
        <source>Series: %1</source>
        <translation>序列：%1</translation>
    </message>
    <message>
        <source>Size: %1 × %2</source>
        <translation>尺寸：%1 × %2</translation>
    </message>
    <message>
        <source>Frame %1 of %2</source>
        <translation>第 %1 帧，共 %2 帧</translation>
    </message>
    <message>
        <source>Format: %1 %2</source>
        <translation>格式：%1 %2</translation>
    </message>
    <message>
        <source>x %1  y %2  value %3%4</source>
        <translation>x %1  y %2  值 %3%4</translation>
    </message>
    <message>
        <source>Slice %1/%2</source>
        <translation>切片 %1/%2</translation>
    </message>
</context>
<context>
    <name>medvae::ui::InspectionController</name>
    <message>
        <source>No model loaded yet; the image is computed once one is.</source>
        <translation>尚未加载模型；加载后将计算该图像。</translation>
    </message>
    <message>
        <source>Queued: %1</source>
        <translation>已排队：%1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Last: %1</source>
        <translation>上次：%1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>正在下载 %1…</translation>
    </message>
    <message>
        <source>Encoding and decoding %1…</source>
        <translation>正在编码和解码 %1…</translation>
    </message>
    <message>
        <source>Comparing %1…</source>
        <translation>正在比较 %1…</translation>
    </message>
    <message>
        <source>Preparing the views of %1…</source>
        <translation>正在准备 %1 的视图…</translation>
    </message>
    <message>
        <source>nothing was prepared to show</source>
        <translation>没有准备好可显示的内容</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>This backend returned no reconstruction.</source>
        <translation>此后端未返回重建结果。</translation>
    </message>
    <message>
        <source>load %1 s · model %2 s · total %3 s</source>
        <translation>加载 %1 秒 · 模型 %2 秒 · 总计 %3 秒</translation>
    </message>
    <message numerus="yes">
        <source> · endpoint %1: %2 ms, %n retries</source>
        <translation>
            <numerusform> · 端点 %1：%2 毫秒，重试 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 × %3, latent %4 × %5 × %6%7</source>
        <translation>%1：%2 × %3，潜变量 %4 × %5 × %6%7</translation>
    </message>
    <message>
        <source> (demo model)</source>
        <translation>（演示模型）</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Cancelled — no result</source>
        <translation>已取消 — 无结果</translation>
    </message>
    <message>
        <source>Model B: %1</source>
        <translation>模型 B：%1</translation>
    </message>
</context>
<context>
    <name>medvae::ui::JobStatusBar</name>
    <message>
        <source>%1 elapsed</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>正在估算…</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>系统默认</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLab</name>
    <message>
        <source>B&apos;s z is %1 but A&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>B 的 z 为 %1，A 的为 %2：插值需要两个形状相同的 z（同样大小的图像，由同一模型编码）。</translation>
    </message>
    <message>
        <source>Load a model first: a z is read for the model that decodes it.</source>
        <translation>请先加载模型：z 按解码它的模型读取。</translation>
    </message>
    <message>
        <source>%1 is larger than 256 MB, too large for a z.</source>
        <translation>%1 大于 256 MB，不可能是 z。</translation>
    </message>
    <message>
        <source>The image shown has no z (a remote endpoint returns only the latent).</source>
        <translation>所显示的图像没有 z（远程端点只返回 latent）。</translation>
    </message>
    <message>
        <source>Load a model to decode.</source>
        <translation>请加载模型以进行解码。</translation>
    </message>
    <message>
        <source>Nothing decoded yet to export.</source>
        <translation>尚无可导出的解码结果。</translation>
    </message>
    <message>
        <source>The inputs changed since the result shown was decoded; wait for the new decode.</source>
        <translation>自显示的结果解码以来输入已改变；请等待新的解码。</translation>
    </message>
    <message>
        <source>An export is being written; wait for it to finish.</source>
        <translation>正在写入导出文件；请等待其完成。</translation>
    </message>
    <message>
        <source>A&apos;s z is %1 but B&apos;s is %2: interpolation needs two z of one shape (images of one size, encoded by one model).</source>
        <translation>A 的 z 为 %1，B 的为 %2：插值需要两个形状相同的 z（同样大小的图像，由同一模型编码）。</translation>
    </message>
    <message>
        <source>%1 looks like a stage-2 latent: the decoder takes z (the _z.npy file), so its decode is not a faithful reconstruction.</source>
        <translation>%1 看起来是第二阶段的潜变量：解码器接受的是 z（_z.npy 文件），因此其解码结果不是忠实的重建。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentLabPanel</name>
    <message>
        <source>Open z</source>
        <translation>打开 z</translation>
    </message>
    <message>
        <source>z arrays (*_z.npy *.npy)</source>
        <translation>z 数组 (*_z.npy *.npy)</translation>
    </message>
    <message>
        <source>Export edited z, decode and recipe</source>
        <translation>导出编辑后的 z、解码结果和配方</translation>
    </message>
    <message>
        <source>Latent recipes (*_recipe.json)</source>
        <translation>潜变量配方 (*_recipe.json)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s).</source>
        <translation>
            <numerusform>已导出 %n 个文件。</numerusform>
        </translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Decoding… (the view shows the last finished decode)</source>
        <translation>正在解码…（视图显示最近完成的解码）</translation>
    </message>
    <message>
        <source>Largest change from the edits: %1 (model space, -1 to 1)</source>
        <translation>编辑造成的最大变化：%1（模型空间，-1 到 1）</translation>
    </message>
    <message>
        <source>Open a z file, or take the z of the image shown in Inspect.</source>
        <translation>打开一个 z 文件，或采用“检查”中所显示图像的 z。</translation>
    </message>
    <message>
        <source>Decoding takes z (the _z.npy file); the stage-2 latent (_latent.npy) is the input for downstream models and does not decode faithfully. On the CPU a full-size model takes seconds per decode.</source>
        <translation>解码使用 z（_z.npy 文件）；第二阶段 latent（_latent.npy）是下游模型的输入，不能忠实解码。在 CPU 上，完整大小的模型每次解码需要数秒。</translation>
    </message>
    <message>
        <source>Open z…</source>
        <translation>打开 z…</translation>
    </message>
    <message>
        <source>From Inspect</source>
        <translation>来自“检查”</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>Spherical (slerp)</source>
        <translation>球面 slerp</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
    <message>
        <source>Zero</source>
        <translation>置零</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>交换</translation>
    </message>
    <message>
        <source>Add noise</source>
        <translation>加噪声</translation>
    </message>
    <message>
        <source>channel </source>
        <translation>通道 </translation>
    </message>
    <message>
        <source>with </source>
        <translation>与 </translation>
    </message>
    <message>
        <source>value </source>
        <translation>值 </translation>
    </message>
    <message>
        <source>seed </source>
        <translation>种子 </translation>
    </message>
    <message>
        <source>Add edit</source>
        <translation>添加编辑</translation>
    </message>
    <message>
        <source>Remove edit</source>
        <translation>移除编辑</translation>
    </message>
    <message>
        <source>PNG 8-bit</source>
        <translation>PNG 8 位</translation>
    </message>
    <message>
        <source>PNG 16-bit</source>
        <translation>PNG 16 位</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Decoded (edited z)</source>
        <translation>解码结果（编辑后的 z）</translation>
    </message>
    <message>
        <source>Difference to the unedited decode</source>
        <translation>与未编辑解码的差异</translation>
    </message>
    <message>
        <source>Reading the z file…</source>
        <translation>正在读取 z 文件…</translation>
    </message>
    <message>
        <source>Writing the export…</source>
        <translation>正在写入导出文件…</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentMaps</name>
    <message>
        <source>no array</source>
        <translation>无数组</translation>
    </message>
    <message>
        <source>expected an array of shape [C, h, w], got %1 dimensions</source>
        <translation>应为形状 [C, h, w] 的数组，实际为 %1 维</translation>
    </message>
    <message>
        <source>the array is empty</source>
        <translation>数组为空</translation>
    </message>
    <message>
        <source>the array is too large to show (%1 × %2 × %3)</source>
        <translation>数组过大，无法显示（%1 × %2 × %3）</translation>
    </message>
    <message>
        <source>the array is not floating point</source>
        <translation>数组不是浮点类型</translation>
    </message>
    <message>
        <source>Cannot show the latent: %1.</source>
        <translation>无法显示潜变量：%1。</translation>
    </message>
    <message>
        <source>its shape differs from the latent&apos;s</source>
        <translation>其形状与潜变量不同</translation>
    </message>
    <message>
        <source>Cannot show z: %1.</source>
        <translation>无法显示 z：%1。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::LatentPanel</name>
    <message>
        <source>latent</source>
        <translation>潜变量</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <source>Colormap:</source>
        <translation>颜色映射：</translation>
    </message>
    <message>
        <source>gray</source>
        <translation>灰度</translation>
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
        <translation>发散（0 = 白色）</translation>
    </message>
    <message>
        <source>Shared range</source>
        <translation>共享范围</translation>
    </message>
    <message>
        <source>Per-channel range</source>
        <translation>按通道范围</translation>
    </message>
    <message>
        <source>Percentiles:</source>
        <translation>百分位：</translation>
    </message>
    <message>
        <source>Lower clipping percentile</source>
        <translation>下限裁剪百分位</translation>
    </message>
    <message>
        <source>Upper clipping percentile</source>
        <translation>上限裁剪百分位</translation>
    </message>
    <message>
        <source>Composite R G B:</source>
        <translation>合成 R G B：</translation>
    </message>
    <message>
        <source>False-colour composite of three channels, each scaled to its own percentile range</source>
        <translation>三个通道的伪彩色合成图，每个通道按其自身的百分位范围缩放</translation>
    </message>
    <message>
        <source>Export channel PNG…</source>
        <translation>导出通道 PNG…</translation>
    </message>
    <message>
        <source>Export grid PNG…</source>
        <translation>导出网格 PNG…</translation>
    </message>
    <message>
        <source>Export .npy…</source>
        <translation>导出 .npy…</translation>
    </message>
    <message>
        <source>Channel %1</source>
        <translation>通道 %1</translation>
    </message>
    <message>
        <source>z (stage 1): the autoencoder&apos;s latent, what decode takes to reconstruct the image.</source>
        <translation>z（第 1 阶段）：自编码器的潜变量，解码用它重建图像。</translation>
    </message>
    <message>
        <source>latent (stage 2): what the model card&apos;s endpoint returns, the input for downstream models.</source>
        <translation>潜变量（第 2 阶段）：模型卡端点返回的内容，下游模型的输入。</translation>
    </message>
    <message>
        <source>Stage 2 latent, as the model card&apos;s endpoint returns it</source>
        <translation>第 2 阶段潜变量，与模型卡端点返回的一致</translation>
    </message>
    <message>
        <source>z is not available for this result: remote endpoints return only the latent</source>
        <translation>此结果没有 z：远程端点只返回潜变量</translation>
    </message>
    <message>
        <source>Stage 1 latent z, the input of decode</source>
        <translation>第 1 阶段潜变量 z，解码的输入</translation>
    </message>
    <message>
        <source>min %1  max %2</source>
        <translation>最小 %1  最大 %2</translation>
    </message>
    <message>
        <source>mean %1  std %2</source>
        <translation>均值 %1  σ %2</translation>
    </message>
    <message>
        <source>shown %1 to %2</source>
        <translation>显示 %1 至 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s)</source>
        <translation>
            <numerusform>%n 个非有限值</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 composite (x %2, y %3): %4</source>
        <translation>%1 合成图（x %2，y %3）：%4</translation>
    </message>
    <message>
        <source>%1 channel %2 (x %3, y %4): %5</source>
        <translation>%1 通道 %2（x %3，y %4）：%5</translation>
    </message>
    <message>
        <source>Export channel as PNG</source>
        <translation>将通道导出为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Export grid as PNG</source>
        <translation>将网格导出为 PNG</translation>
    </message>
    <message>
        <source>Export array as .npy</source>
        <translation>将数组导出为 .npy</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>NumPy 数组 (*.npy)</translation>
    </message>
    <message>
        <source>The latent channels appear here once an image is computed.</source>
        <translation>图像计算完成后，潜变量通道将显示在这里。</translation>
    </message>
    <message>
        <source>Channels %1, %2, %3 as RGB</source>
        <translation>通道 %1、%2、%3 合成 RGB</translation>
    </message>
</context>
<context>
    <name>medvae::ui::MainWindow</name>
    <message>
        <source>Load checkpoint</source>
        <translation>加载检查点</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>检查点 (*.ckpt *.pt *.pth *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>MedVAE Studio</source>
        <translation>MedVAE Studio</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Images…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>Open image files (PNG, JPEG, TIFF, DICOM, …)</source>
        <translation>打开图像文件（PNG、JPEG、TIFF、DICOM 等）</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open &amp;URL…</source>
        <translation>打开 URL(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Paste Image or Path</source>
        <translation>粘贴图像或路径(&amp;P)</translation>
    </message>
    <message>
        <source>Load &amp;Checkpoint…</source>
        <translation>加载检查点(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Close Image</source>
        <translation>关闭图像(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Recompute</source>
        <translation>重新计算(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>取消任务(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About MedVAE Studio</source>
        <translation>关于 MedVAE Studio(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>No images found in what was opened.</source>
        <translation>所打开的内容中未找到图像。</translation>
    </message>
    <message>
        <source>Open Images</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pgm *.ppm *.pnm *.dcm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Open URL</source>
        <translation>打开 URL</translation>
    </message>
    <message>
        <source>Image address (http, https or data: URI):</source>
        <translation>图像地址（http、https 或 data: URI）：</translation>
    </message>
    <message>
        <source>The clipboard holds no image, path or address.</source>
        <translation>剪贴板中没有图像、路径或地址。</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;Inspect what MedVAE medical-image autoencoders keep and lose: latents, reconstructions and their errors.&lt;/p&gt;&lt;p&gt;The bundled demo model was trained by this project and is not MedVAE&apos;s published weights.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bundled parts and their licences&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — zlib licence&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Sample images and the demo model&apos;s training data: Colin27 T1 templates (Holmes et al. 1998, as distributed with MRIcron) — BSD-3-Clause, Copyright 2006-2010 Chris Rorden.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MedVAE Studio %1&lt;/h3&gt;&lt;p&gt;查看 MedVAE 医学图像自编码器保留了什么、丢失了什么：潜变量、重建结果及其误差。&lt;/p&gt;&lt;p&gt;附带的演示模型由本项目训练，不是 MedVAE 发布的权重。&lt;/p&gt;&lt;p&gt;&lt;b&gt;附带组件及其许可证&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Qt %2 — LGPLv3&lt;/li&gt;&lt;li&gt;LibTorch — BSD-3-Clause&lt;/li&gt;&lt;li&gt;DCMTK — BSD-3-Clause&lt;/li&gt;&lt;li&gt;OpenCV — Apache-2.0&lt;/li&gt;&lt;li&gt;OpenJPEG — BSD-2-Clause&lt;/li&gt;&lt;li&gt;zlib — zlib 许可证&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;示例图像和演示模型的训练数据：Colin27 T1 模板（Holmes 等，1998，随 MRIcron 分发）— BSD-3-Clause，版权所有 2006-2010 Chris Rorden。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About MedVAE Studio</source>
        <translation>关于 MedVAE Studio</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批处理</translation>
    </message>
    <message>
        <source>&amp;Local Engine</source>
        <translation>本地引擎(&amp;L)</translation>
    </message>
    <message>
        <source>Remote &amp;Endpoint (Active Profile)</source>
        <translation>远程端点（活动配置）(&amp;E)</translation>
    </message>
    <message>
        <source>Endpoint &amp;Profiles…</source>
        <translation>端点配置(&amp;P)…</translation>
    </message>
    <message>
        <source>Latent lab</source>
        <translation>潜变量实验室</translation>
    </message>
    <message>
        <source>No active endpoint profile: choose one in Run ▸ Endpoint Profiles.</source>
        <translation>没有活动的端点配置：请在“运行 ▸ 端点配置”中选择一个。</translation>
    </message>
    <message>
        <source>P&amp;ACS Browser…</source>
        <translation>PACS 浏览器(&amp;A)…</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n file(s) to group series…</source>
        <translation>
            <numerusform>正在读取 %n 个文件以分组序列…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelBChooser</name>
    <message>
        <source>&lt;b&gt;Compare with a second model (B)&lt;/b&gt;</source>
        <translation>&lt;b&gt;与第二个模型 (B) 比较&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Off: the Inspect tab shows the loaded model alone.</source>
        <translation>关闭：检查页仅显示已加载的模型。</translation>
    </message>
    <message>
        <source>Model B: %1. The Inspect tab shows A and B side by side.</source>
        <translation>模型 B：%1。检查页并排显示 A 和 B。</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>比较对象…</translation>
    </message>
    <message>
        <source>Choose a second checkpoint; it must take the same input channels as the loaded model (its factor and latent channels may differ).</source>
        <translation>选择第二个检查点；它必须与已加载的模型具有相同的输入通道（其因子和潜在通道可以不同）。</translation>
    </message>
    <message>
        <source>Stop comparing</source>
        <translation>停止比较</translation>
    </message>
    <message>
        <source>Compare with checkpoint</source>
        <translation>与检查点比较</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>检查点 (*.ckpt *.pt *.pth *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Model B: the endpoint %1. The Inspect tab shows A and B side by side.</source>
        <translation>模型 B：端点 %1。检查页并排显示 A 和 B。</translation>
    </message>
    <message>
        <source>Compare with the endpoint…</source>
        <translation>与端点比较…</translation>
    </message>
    <message>
        <source>No endpoint profile is active: add one in Run ▸ Endpoint Profiles.</source>
        <translation>没有活动的端点配置：请在“运行 ▸ 端点配置”中添加一个。</translation>
    </message>
    <message>
        <source>Compare with the active endpoint profile %1 (images are sent to it).</source>
        <translation>与活动的端点配置 %1 比较（图像会发送到该端点）。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::ModelPanel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Load checkpoint file…</source>
        <translation>加载检查点文件…</translation>
    </message>
    <message>
        <source>MedVAE checkpoints in the Hugging Face cache:</source>
        <translation>Hugging Face 缓存中的 MedVAE 检查点：</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Look again in %1</source>
        <translation>重新在 %1 中查找</translation>
    </message>
    <message>
        <source>Download MedVAE weights from Hugging Face:</source>
        <translation>从 Hugging Face 下载 MedVAE 权重：</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
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
        <translation>CUDA 不可用：此 LibTorch 版本不支持 CUDA，或未找到 GPU。</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>精度：</translation>
    </message>
    <message>
        <source>float32 (exact)</source>
        <translation>float32（精确）</translation>
    </message>
    <message>
        <source>bfloat16 (faster, approximate)</source>
        <translation>bfloat16（更快，近似）</translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation>CPU 线程数：</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source>Sample z from the posterior (otherwise its mean)</source>
        <translation>从后验分布采样 z（否则取其均值）</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo model&lt;/b&gt; trained by this project — not MedVAE&apos;s published weights.&lt;br&gt;</source>
        <translation>&lt;b&gt;演示模型&lt;/b&gt;，由本项目训练——不是 MedVAE 发布的权重。&lt;br&gt;</translation>
    </message>
    <message>
        <source>Variant: %1&lt;br&gt;Factor: %2 per side&lt;br&gt;Channels: %3 in, %4 latent&lt;br&gt;</source>
        <translation>变体：%1&lt;br&gt;因子：每边 %2&lt;br&gt;通道：输入 %3，潜变量 %4&lt;br&gt;</translation>
    </message>
    <message>
        <source>Parameters: %1&lt;br&gt;</source>
        <translation>参数量：%1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Device: %1&lt;br&gt;Precision: %2&lt;br&gt;</source>
        <translation>设备：%1&lt;br&gt;精度：%2&lt;br&gt;</translation>
    </message>
    <message>
        <source>File: %1&lt;br&gt;</source>
        <translation>文件：%1&lt;br&gt;</translation>
    </message>
    <message>
        <source>SHA-256: %1</source>
        <translation>SHA-256：%1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <source>Load checkpoint</source>
        <translation>加载检查点</translation>
    </message>
    <message>
        <source>Checkpoints (*.ckpt *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>检查点 (*.ckpt *.pt *.pth *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>正在下载 %1…</translation>
    </message>
    <message>
        <source>Downloaded to %1
SHA-256: %2</source>
        <translation>已下载到 %1
SHA-256：%2</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept.</source>
        <translation>下载已取消；未保留任何文件。</translation>
    </message>
    <message>
        <source>Download failed: %1</source>
        <translation>下载失败：%1</translation>
    </message>
    <message>
        <source>Sample z</source>
        <translation>采样 z</translation>
    </message>
    <message>
        <source>&lt;b&gt;Remote endpoint&lt;/b&gt;: images are encoded on %1, not on this computer.&lt;br&gt;</source>
        <translation>&lt;b&gt;远程端点&lt;/b&gt;：图像在 %1 上编码，而不是在本机。&lt;br&gt;</translation>
    </message>
    <message>
        <source>Deployment: %1&lt;br&gt;</source>
        <translation>部署：%1&lt;br&gt;</translation>
    </message>
    <message>
        <source>Channels: %1 in, %2 latent&lt;br&gt;</source>
        <translation>通道：输入 %1，潜在 %2&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: none yet&lt;br&gt;</source>
        <translation>上次往返：暂无&lt;br&gt;</translation>
    </message>
    <message>
        <source>Last round trip: %1 ms&lt;br&gt;</source>
        <translation>上次往返：%1 毫秒&lt;br&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;The endpoint returns the reconstruction clamped and rounded to 8 bits, so PSNR and SSIM differ slightly from the local engine&apos;s.&lt;/i&gt;</source>
        <translation>&lt;i&gt;端点返回的重建结果经过截断并舍入为 8 位，因此 PSNR 和 SSIM 与本地引擎的结果略有不同。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Applies to the local engine only.</source>
        <translation>仅适用于本地引擎。</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Looked in %1</source>
        <translation>已在 %1 中查找</translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation>CUDA 设备 %1</translation>
    </message>
    <message>
        <source>float16 (CUDA only, approximate)</source>
        <translation>float16（仅 CUDA，近似）</translation>
    </message>
    <message>
        <source>float16: the fastest, approximate; on CUDA devices only</source>
        <translation>float16：最快，近似；仅限 CUDA 设备</translation>
    </message>
    <message>
        <source>Tiled (approximate)</source>
        <translation>分块（近似）</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Tiled: tiles of %1 px, %2 px overlap (approximate results)&lt;br&gt;</source>
        <translation>分块：每块 %1 像素，重叠 %2 像素（近似结果）&lt;br&gt;</translation>
    </message>
    <message>
        <source>For images too large for this computer&apos;s memory: overlapping tiles, blended. The result is an approximation of the exact one and says how far the tiles disagreed.</source>
        <translation>用于此计算机内存容纳不下的图像：重叠分块并融合。结果是精确结果的近似，并说明各分块之间的差异程度。</translation>
    </message>
    <message>
        <source>Not with tiles: each tile would draw its own noise.</source>
        <translation>分块时不可用：每个分块会抽取各自的噪声。</translation>
    </message>
    <message>
        <source>Tile size</source>
        <translation>分块大小</translation>
    </message>
    <message>
        <source>Tile size: the side of each tile in pixels</source>
        <translation>分块大小：每个分块的边长（像素）</translation>
    </message>
</context>
<context>
    <name>medvae::ui::PacsBrowser</name>
    <message>
        <source>&amp;Servers…</source>
        <translation>服务器(&amp;S)…</translation>
    </message>
    <message>
        <source>Archive:</source>
        <translation>档案库：</translation>
    </message>
    <message>
        <source>Searc&amp;h</source>
        <translation>搜索(&amp;H)</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>最多 </translation>
    </message>
    <message>
        <source> studies</source>
        <translation> 个检查</translation>
    </message>
    <message>
        <source>Ne&amp;xt page</source>
        <translation>下一页(&amp;X)</translation>
    </message>
    <message>
        <source>Retrieving: %1 of %2 instances (%3 MB)…</source>
        <translation>正在检索：第 %1 个，共 %2 个实例（%3 MB）…</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>患者 ID</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Study date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>检查号</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>&amp;Retrieve series</source>
        <translation>检索序列(&amp;R)</translation>
    </message>
    <message>
        <source>Retrieve s&amp;tudy</source>
        <translation>检索检查(&amp;T)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>C&amp;lear cache</source>
        <translation>清空缓存(&amp;L)</translation>
    </message>
    <message>
        <source>Add a PACS server first (Servers…).</source>
        <translation>请先添加 PACS 服务器（服务器…）。</translation>
    </message>
    <message>
        <source>Searching %1…</source>
        <translation>正在搜索 %1…</translation>
    </message>
    <message>
        <source>No studies match.</source>
        <translation>没有匹配的检查。</translation>
    </message>
    <message>
        <source>Studies %1–%2 shown; more match (Next page, or narrow the search).</source>
        <translation>显示第 %1–%2 个检查；还有更多匹配（下一页，或缩小搜索范围）。</translation>
    </message>
    <message>
        <source>Studies %1–%2 (the last).</source>
        <translation>第 %1–%2 个检查（最后一页）。</translation>
    </message>
    <message>
        <source>Listing the series…</source>
        <translation>正在列出序列…</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>无预览：%1</translation>
    </message>
    <message>
        <source>Retrieving…</source>
        <translation>正在检索…</translation>
    </message>
    <message>
        <source>Cancelling the retrieval…</source>
        <translation>正在取消检索…</translation>
    </message>
    <message>
        <source>Retrieved; the images are in the Images list.</source>
        <translation>已检索；图像在图像列表中。</translation>
    </message>
    <message>
        <source>The cache of retrieved images is empty.</source>
        <translation>已检索图像的缓存已清空。</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>找到的检查：%1。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::RecentSources</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Clear Recent</source>
        <translation>清除最近文件</translation>
    </message>
</context>
<context>
    <name>medvae::ui::SourceOpener</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Opened the first %1 images; %2 more were left out.</source>
        <translation>已打开前 %1 张图像；另有 %2 张被略去。</translation>
    </message>
</context>
<context>
    <name>medvae::ui::StudyQueryForm</name>
    <message>
        <source>Study &amp;date from</source>
        <translation>检查日期从(&amp;D)</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Patient &amp;ID:</source>
        <translation>患者 ID(&amp;I)：</translation>
    </message>
    <message>
        <source>Patient &amp;name:</source>
        <translation>患者姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Modality:</source>
        <translation>模态(&amp;M)：</translation>
    </message>
    <message>
        <source>A&amp;ccession number:</source>
        <translation>检查号(&amp;C)：</translation>
    </message>
    <message>
        <source>Study d&amp;escription:</source>
        <translation>检查描述(&amp;E)：</translation>
    </message>
</context>
<context>
    <name>medvae::ui::WindowedImage</name>
    <message>
        <source>Soft tissue</source>
        <translation>软组织窗</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>肺窗</translation>
    </message>
    <message>
        <source>Liver</source>
        <translation>肝窗</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>骨窗</translation>
    </message>
    <message>
        <source>Brain</source>
        <translation>脑窗</translation>
    </message>
    <message>
        <source>File window %1</source>
        <translation>文件窗 %1</translation>
    </message>
    <message>
        <source>Full range (0.1-99.9 %)</source>
        <translation>全范围（0.1–99.9%）</translation>
    </message>
    <message>
        <source>%1 (W %2 / L %3)</source>
        <translation>%1（窗宽 %2 / 窗位 %3）</translation>
    </message>
</context>
</TS>
