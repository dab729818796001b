// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721A} from "erc721a/contracts/ERC721A.sol";
import {IERC721A} from "erc721a/contracts/IERC721A.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC2981} from "@openzeppelin/contracts/token/common/ERC2981.sol";

/// Holds the first token id so that ERC721A's constructor, which runs after this one, can read it.
abstract contract FirstTokenId {
    uint256 internal immutable _firstTokenId;

    constructor(uint256 firstTokenId_) {
        _firstTokenId = firstTokenId_;
    }
}

/**
 * @title SerigraphDrop
 * @notice An ERC721A drop minted in batches by Serigraph: owner plus minter roles, a fixed maximum
 * supply, an `ipfs://<metadataCID>/` base URI, ERC-2981 royalties, ERC-4906 metadata update events,
 * a provenance hash settable once and an optional commit-reveal starting index.
 */
contract SerigraphDrop is FirstTokenId, ERC721A, ERC2981, Ownable {
    /// ERC-4906.
    event MetadataUpdate(uint256 _tokenId);
    /// ERC-4906.
    event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);
    event MinterSet(address indexed minter, bool allowed);
    event ProvenanceHashSet(bytes32 provenanceHash);
    event StartingIndexCommitted(uint256 blockNumber);
    event StartingIndexRevealed(uint256 startingIndex);

    error NotMinter(address caller);
    error ZeroQuantity();
    error MaxSupplyExceeded(uint256 requested, uint256 remaining);
    error UnexpectedFirstTokenId(uint256 expected, uint256 next);
    error LengthMismatch(uint256 recipients, uint256 quantities);
    error ProvenanceAlreadySet();
    error ZeroProvenance();
    error StartingIndexAlreadyCommitted();
    error StartingIndexNotCommitted();
    error StartingIndexAlreadyRevealed();
    error RevealTooEarly(uint256 blockNumber);
    error RevealTooLate(uint256 blockNumber);

    bytes4 private constant ERC4906_INTERFACE_ID = 0x49064906;

    uint256 public immutable maxSupply;
    string private _baseTokenURI;
    bytes32 public provenanceHash;
    mapping(address => bool) public isMinter;
    /// The block whose hash gives the starting index; 0 until committed.
    uint256 public startingIndexBlock;
    /// The offset from token id to metadata position, valid once `startingIndexRevealed`.
    uint256 public startingIndex;
    bool public startingIndexRevealed;

    constructor(
        string memory name_,
        string memory symbol_,
        uint256 maxSupply_,
        uint256 firstTokenId_,
        string memory baseURI_,
        address royaltyReceiver,
        uint96 royaltyBps
    ) FirstTokenId(firstTokenId_) ERC721A(name_, symbol_) Ownable(msg.sender) {
        maxSupply = maxSupply_;
        _baseTokenURI = baseURI_;
        if (royaltyReceiver != address(0)) {
            _setDefaultRoyalty(royaltyReceiver, royaltyBps);
        }
        isMinter[msg.sender] = true;
        emit MinterSet(msg.sender, true);
    }

    modifier onlyMinter() {
        if (!isMinter[msg.sender]) revert NotMinter(msg.sender);
        _;
    }

    // ---- minting ----

    /// Mints `quantity` consecutive tokens to `to`.
    function mintBatch(address to, uint256 quantity) external onlyMinter {
        _checkSupply(quantity);
        _mint(to, quantity);
    }

    /// Mints `quantity` tokens to `to` only if the next token id is `firstTokenId`: a batch sent twice
    /// reverts instead of minting twice.
    function mintBatchAt(uint256 firstTokenId, address to, uint256 quantity) external onlyMinter {
        uint256 next = _nextTokenId();
        if (next != firstTokenId) revert UnexpectedFirstTokenId(firstTokenId, next);
        _checkSupply(quantity);
        _mint(to, quantity);
    }

    /// Mints `quantities[i]` tokens to `recipients[i]`, in order, starting at `firstTokenId`.
    function mintManyAt(uint256 firstTokenId, address[] calldata recipients, uint256[] calldata quantities)
        external
        onlyMinter
    {
        if (recipients.length != quantities.length) revert LengthMismatch(recipients.length, quantities.length);
        uint256 next = _nextTokenId();
        if (next != firstTokenId) revert UnexpectedFirstTokenId(firstTokenId, next);
        uint256 total;
        for (uint256 i; i < quantities.length; ++i) {
            total += quantities[i];
        }
        _checkSupply(total);
        for (uint256 i; i < recipients.length; ++i) {
            _mint(recipients[i], quantities[i]);
        }
    }

    function _checkSupply(uint256 quantity) private view {
        if (quantity == 0) revert ZeroQuantity();
        uint256 remaining = maxSupply - _totalMinted();
        if (quantity > remaining) revert MaxSupplyExceeded(quantity, remaining);
    }

    /// The id the next minted token gets.
    function nextTokenId() external view returns (uint256) {
        return _nextTokenId();
    }

    /// The number of tokens minted so far (burns included).
    function totalMinted() external view returns (uint256) {
        return _totalMinted();
    }

    function _startTokenId() internal view override returns (uint256) {
        return _firstTokenId;
    }

    // ---- roles ----

    function setMinter(address minter, bool allowed) external onlyOwner {
        isMinter[minter] = allowed;
        emit MinterSet(minter, allowed);
    }

    // ---- metadata ----

    function baseURI() external view returns (string memory) {
        return _baseTokenURI;
    }

    /// Changes the base URI; marketplaces are told to refresh every token (ERC-4906).
    function setBaseURI(string calldata baseURI_) external onlyOwner {
        _baseTokenURI = baseURI_;
        emit BatchMetadataUpdate(_startTokenId(), type(uint256).max);
    }

    function _baseURI() internal view override returns (string memory) {
        return _baseTokenURI;
    }

    /// `baseURI + n`, where n is the token's position in the metadata: the token id itself until a
    /// starting index is revealed, then shifted by it (modulo the maximum supply).
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        if (!_exists(tokenId)) _revert(URIQueryForNonexistentToken.selector);
        uint256 n = tokenId;
        if (startingIndexRevealed) {
            uint256 first = _startTokenId();
            n = first + ((tokenId - first + startingIndex) % maxSupply);
        }
        string memory base = _baseTokenURI;
        return bytes(base).length != 0 ? string(abi.encodePacked(base, _toString(n))) : "";
    }

    // ---- provenance ----

    /// Records the collection's provenance hash; only once.
    function setProvenanceHash(bytes32 hash) external onlyOwner {
        if (provenanceHash != bytes32(0)) revert ProvenanceAlreadySet();
        if (hash == bytes32(0)) revert ZeroProvenance();
        provenanceHash = hash;
        emit ProvenanceHashSet(hash);
    }

    /// Commits to the hash of the next block as the source of the starting index.
    function commitStartingIndex() external onlyOwner {
        if (startingIndexBlock != 0) revert StartingIndexAlreadyCommitted();
        startingIndexBlock = block.number + 1;
        emit StartingIndexCommitted(startingIndexBlock);
    }

    /// Reveals the starting index from the committed block's hash (within 256 blocks of it).
    function revealStartingIndex() external onlyOwner {
        uint256 b = startingIndexBlock;
        if (b == 0) revert StartingIndexNotCommitted();
        if (startingIndexRevealed) revert StartingIndexAlreadyRevealed();
        if (block.number <= b) revert RevealTooEarly(b);
        if (block.number - b > 256) revert RevealTooLate(b);
        startingIndex = uint256(blockhash(b)) % maxSupply;
        startingIndexRevealed = true;
        emit StartingIndexRevealed(startingIndex);
        emit BatchMetadataUpdate(_startTokenId(), type(uint256).max);
    }

    // ---- royalties ----

    function setDefaultRoyalty(address receiver, uint96 feeNumerator) external onlyOwner {
        _setDefaultRoyalty(receiver, feeNumerator);
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721A, ERC2981) returns (bool) {
        return ERC721A.supportsInterface(interfaceId) || ERC2981.supportsInterface(interfaceId)
            || interfaceId == ERC4906_INTERFACE_ID;
    }
}
